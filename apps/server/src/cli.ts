#!/usr/bin/env node
import { createSystemActor, type SystemActor } from '@pierre/tenancy'
import { Command, InvalidArgumentError } from 'commander'
import {
  type AdminDependencies,
  approveUser,
  createApiKey,
  createTenant,
  createUser,
  describeAdminError,
  rotateKeys,
} from './admin.js'
import { createPierre, type Pierre } from './app.js'
import { type Config, ConfigError, loadConfig } from './config.js'
import { createLogger } from './logger.js'
import { StorageError } from './storage/database.js'
import { openTenancy, StartupError } from './tenancy.js'
import { VERSION } from './version.js'

function fail(lines: readonly string[]): never {
  for (const line of lines) process.stderr.write(`pierre-server: ${line}\n`)
  process.exit(1)
}

interface GlobalFlags {
  port?: string
  host?: string
  dataDir?: string
  stdio?: boolean
}

const program = new Command('pierre-server')
  .description('Pierre fitness-intelligence server: MCP over Streamable HTTP or stdio.')
  .version(VERSION, '-v, --version', 'print the version and exit')
  .helpOption('-h, --help', 'show this help')
  .option('-p, --port <port>', 'HTTP port (env PIERRE_PORT, default 8081)')
  .option('-H, --host <host>', 'bind address (env PIERRE_HOST, default 127.0.0.1)')
  .option('-d, --data-dir <dir>', 'data directory (env PIERRE_DATA_DIR, default ~/.pierre)')
  .option('--stdio', 'serve MCP on stdin/stdout instead of HTTP; logs go to stderr')
  .addHelpText(
    'after',
    '\nEvery option also has a PIERRE_* environment variable; flags win. See .env.example.',
  )
  .showHelpAfterError()
  .configureOutput({ writeErr: (text) => process.stderr.write(text) })
  .exitOverride((error) => {
    process.exit(error.exitCode)
  })

function configOrFail(): Config {
  try {
    return loadConfig(process.env, program.opts<GlobalFlags>())
  } catch (error) {
    if (error instanceof ConfigError) fail(error.problems)
    if (error instanceof InvalidArgumentError) fail([error.message])
    throw error
  }
}

async function serve(): Promise<void> {
  const config = configOrFail()
  const logger = createLogger(config.logLevel)
  let pierre: Pierre
  try {
    pierre = await createPierre(config, { logger })
  } catch (error) {
    if (error instanceof StartupError) fail([error.message])
    if (error instanceof StorageError) {
      logger.error({ err: error.cause ?? error }, 'start-up failed')
      fail([error.message])
    }
    throw error
  }

  let stopping = false
  const stop = (signal: string): void => {
    if (stopping) return
    stopping = true
    logger.info({ signal }, 'shutting down')
    pierre.close().then(
      () => process.exit(0),
      (error: unknown) => {
        logger.error({ err: error }, 'shutdown failed')
        process.exit(1)
      },
    )
  }
  process.on('SIGINT', () => stop('SIGINT'))
  process.on('SIGTERM', () => stop('SIGTERM'))

  if (config.mode === 'stdio') {
    process.stdin.once('end', () => stop('stdin closed'))
    pierre.serveStdio().then(
      () => stop('transport closed'),
      (error: unknown) => {
        logger.error({ err: error }, 'stdio transport failed')
        process.exit(1)
      },
    )
    return
  }
  pierre.listen().catch((error: unknown) => {
    const code = (error as { code?: string }).code
    if (code === 'EADDRINUSE') {
      fail([
        `port ${config.http.port} on ${config.http.host} is already in use (set --port or PIERRE_PORT)`,
      ])
    }
    if (code === 'EACCES')
      fail([`no permission to listen on ${config.http.host}:${config.http.port}`])
    logger.error({ err: error }, 'listen failed')
    process.exit(1)
  })
}

/** Opens the data directory, runs one administrative command as the server itself, prints its result. */
async function runAdmin(
  command: string,
  work: (deps: AdminDependencies, actor: SystemActor) => Promise<string>,
): Promise<void> {
  const config = configOrFail()
  const logger = createLogger(config.logLevel === 'info' ? 'warn' : config.logLevel)
  let opened: Awaited<ReturnType<typeof openTenancy>>
  try {
    opened = await openTenancy(config, { logger })
  } catch (error) {
    if (error instanceof StartupError || error instanceof StorageError) fail([error.message])
    throw error
  }
  let problem: string | undefined
  try {
    const output = await work(
      { tenancy: opened.tenancy, defaultTenant: opened.defaultTenant },
      createSystemActor(`cli admin ${command}`),
    )
    process.stdout.write(`${output}\n`)
  } catch (error) {
    problem = describeAdminError(error)
    if (problem === undefined) {
      logger.error({ err: error }, 'admin command failed')
      problem = `admin ${command} failed (internal error)`
    }
  } finally {
    opened.db.close()
  }
  if (problem !== undefined) fail([problem])
}

async function readStdin(): Promise<string> {
  const chunks: Buffer[] = []
  for await (const chunk of process.stdin) chunks.push(Buffer.from(chunk as Uint8Array))
  return Buffer.concat(chunks).toString('utf8')
}

/** The password from stdin or a named environment variable: never from argv. */
async function passwordFrom(flags: { passwordStdin?: boolean; passwordEnv?: string }) {
  if ((flags.passwordStdin === true) === (flags.passwordEnv !== undefined)) {
    fail(['give exactly one of --password-stdin or --password-env <VAR>'])
  }
  if (flags.passwordEnv !== undefined) {
    const value = process.env[flags.passwordEnv]
    if (value === undefined || value === '') {
      fail([`environment variable ${flags.passwordEnv} is not set`])
    }
    return value
  }
  const text = (await readStdin()).replace(/\r?\n$/, '')
  if (text === '') fail(['no password on stdin'])
  return text
}

const admin = program
  .command('admin')
  .description('create tenants, users and API keys; rotate signing keys (on the data directory)')

admin
  .command('create-tenant <slug>')
  .description('create a tenant (slug: lower-case letters, digits and -)')
  .option('--name <name>', 'display name (default: the slug)')
  .action(async (slug: string, flags: { name?: string }) => {
    await runAdmin('create-tenant', async (deps, actor) => {
      const tenant = await createTenant(deps, actor, { slug, name: flags.name })
      return `created tenant ${tenant.slug} (${tenant.id})`
    })
  })

admin
  .command('create-user')
  .description('create an active user in a tenant; the password comes from stdin or a variable')
  .requiredOption('--email <email>', 'email address')
  .option('--password-stdin', 'read the password from stdin')
  .option('--password-env <var>', 'read the password from this environment variable')
  .option('--tenant <slug|id>', 'tenant to join (default: local)')
  .option('--role <role>', 'platform role: user, admin or super_admin', 'user')
  .option('--tenant-role <role>', 'role in the tenant: member, billing, admin or owner', 'member')
  .option('--display-name <name>', 'display name')
  .action(
    async (flags: {
      email: string
      passwordStdin?: boolean
      passwordEnv?: string
      tenant?: string
      role: string
      tenantRole: string
      displayName?: string
    }) => {
      const password = await passwordFrom(flags)
      await runAdmin('create-user', async (deps, actor) => {
        const user = await createUser(deps, actor, { ...flags, password })
        return `created user ${user.email} (${user.id}) with role ${user.platformRole}`
      })
    },
  )

admin
  .command('approve-user <user>')
  .description('approve a pending user (email or id)')
  .action(async (user: string) => {
    await runAdmin('approve-user', async (deps, actor) => {
      const approved = await approveUser(deps, actor, user)
      return `approved user ${approved.email} (${approved.id})`
    })
  })

admin
  .command('create-api-key')
  .description('create an API key for a user; prints the key once on stdout')
  .requiredOption('--user <email|id>', 'owner of the key')
  .option('--tenant <slug|id>', "tenant of the key (default: the user's tenant)")
  .option('--tier <tier>', 'trial, starter, professional or enterprise', 'starter')
  .option('--name <name>', 'name of the key', 'cli')
  .action(async (flags: { user: string; tenant?: string; tier: string; name: string }) => {
    await runAdmin('create-api-key', async (deps, actor) => {
      const created = await createApiKey(deps, actor, flags)
      process.stderr.write(
        `pierre-server: api key ${created.record.id} (tier ${created.record.tier}) created; it is shown once, store it now\n`,
      )
      return created.key
    })
  })

admin
  .command('rotate-keys')
  .description('publish a new signing key; the current one verifies until its tokens expire')
  .action(async () => {
    await runAdmin('rotate-keys', async (deps, actor) => {
      const transitions = await rotateKeys(deps, actor)
      const lines = transitions.map((t) => `${t.kid}: ${t.from} -> ${t.to}`)
      return ['rotated signing keys', ...lines].join('\n')
    })
  })

program.action(serve)

await program.parseAsync()
