#!/usr/bin/env node
import { createSystemActor, type SystemActor } from '@pierre/tenancy'
import { Command, InvalidArgumentError } from 'commander'
import {
  type AdminDependencies,
  AdminError,
  approveUser,
  createApiKey,
  createTenant,
  createUser,
  describeAdminError,
  listProviderApps,
  removeProviderApp,
  resolveUser,
  rotateKeys,
  setProviderApp,
  tenantOfUser,
} from './admin.js'
import { createPierre, LOCAL_OWNER_ID, type Pierre } from './app.js'
import { type Config, ConfigError, isLoopbackHost, loadConfig } from './config.js'
import { ImportStorageError, importActivityFiles, importExitCode } from './import.js'
import { createProgressBar, formatImportSummary } from './import-progress.js'
import { createLogger } from './logger.js'
import { createProviders } from './providers.js'
import { StorageError } from './storage/database.js'
import type { ImportOwner } from './storage/imported-activities.js'
import { type OpenedTenancy, openTenancy, StartupError } from './tenancy.js'
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
  work: (deps: AdminDependencies, actor: SystemActor, opened: OpenedTenancy) => Promise<string>,
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
      opened,
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

/** A secret from stdin or a named environment variable: never from argv. */
async function secretFrom(
  what: string,
  fromStdin: boolean | undefined,
  fromEnv: string | undefined,
): Promise<string> {
  if ((fromStdin === true) === (fromEnv !== undefined)) {
    fail([`give exactly one of --${what}-stdin or --${what}-env <VAR>`])
  }
  if (fromEnv !== undefined) {
    const value = process.env[fromEnv]
    if (value === undefined || value === '') {
      fail([`environment variable ${fromEnv} is not set`])
    }
    return value
  }
  const text = (await readStdin()).replace(/\r?\n$/, '')
  if (text === '') fail([`no ${what.replace('-', ' ')} on stdin`])
  return text
}

/** The password from stdin or a named environment variable: never from argv. */
function passwordFrom(flags: { passwordStdin?: boolean; passwordEnv?: string }) {
  return secretFrom('password', flags.passwordStdin, flags.passwordEnv)
}

/** The provider-app operations' view of the providers (no HTTP, no redirect needed). */
function providersOf(opened: OpenedTenancy, config: Config) {
  return createProviders(config, {
    db: opened.db,
    tenancy: opened.tenancy,
    logger: createLogger(config.logLevel),
    defaultRedirectUri: () => '',
    isAccountless: (userId) => userId === LOCAL_OWNER_ID,
  })
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

admin
  .command('set-provider-app <provider>')
  .description(
    "set a tenant's own OAuth app at a provider (strava, fitbit, whoop, garmin, coros); the secret comes from stdin or a variable",
  )
  .requiredOption('--client-id <id>', "the app's client id")
  .option('--client-secret-stdin', 'read the client secret from stdin')
  .option('--client-secret-env <var>', 'read the client secret from this environment variable')
  .option(
    '--redirect-uri <url>',
    'redirect URI registered with the provider (default: the server one)',
  )
  .option('--tenant <slug|id>', 'tenant (default: local)')
  .action(
    async (
      provider: string,
      flags: {
        clientId: string
        clientSecretStdin?: boolean
        clientSecretEnv?: string
        redirectUri?: string
        tenant?: string
      },
    ) => {
      const clientSecret = await secretFrom(
        'client-secret',
        flags.clientSecretStdin,
        flags.clientSecretEnv,
      )
      await runAdmin('set-provider-app', async (deps, actor, opened) => {
        const app = await setProviderApp(
          { ...deps, providers: providersOf(opened, configOrFail()) },
          actor,
          { ...flags, provider, clientSecret },
        )
        return `set the ${app.provider} app of tenant ${flags.tenant ?? deps.defaultTenant.slug} (client id ${app.clientId})`
      })
    },
  )

admin
  .command('list-provider-apps')
  .description("list a tenant's own provider apps (never their secrets)")
  .option('--tenant <slug|id>', 'tenant (default: local)')
  .action(async (flags: { tenant?: string }) => {
    await runAdmin('list-provider-apps', async (deps, actor, opened) => {
      const apps = await listProviderApps(
        { ...deps, providers: providersOf(opened, configOrFail()) },
        actor,
        flags.tenant,
      )
      if (apps.length === 0) return 'no provider apps (the server app is used)'
      return apps
        .map(
          (app) =>
            `${app.provider}\tclient id ${app.clientId}\tredirect ${app.redirectUri ?? '(server default)'}\tupdated ${app.updatedAt}`,
        )
        .join('\n')
    })
  })

admin
  .command('remove-provider-app <provider>')
  .description("remove a tenant's own provider app; its users fall back to the server app")
  .option('--tenant <slug|id>', 'tenant (default: local)')
  .action(async (provider: string, flags: { tenant?: string }) => {
    await runAdmin('remove-provider-app', async (deps, actor, opened) => {
      const app = await removeProviderApp(
        { ...deps, providers: providersOf(opened, configOrFail()) },
        actor,
        { provider, tenant: flags.tenant },
      )
      return `removed the ${app.provider} app of tenant ${flags.tenant ?? deps.defaultTenant.slug}`
    })
  })

/** A bad command line for `import`: one line on stderr, exit 2. */
function usage(message: string): never {
  process.stderr.write(`pierre-server: ${message}\n`)
  process.exit(2)
}

/** Whose activities an import adds: `--user` (and `--tenant`), else the local owner. */
async function importOwner(
  opened: OpenedTenancy,
  config: Config,
  flags: { user?: string; tenant?: string },
): Promise<{ owner: ImportOwner; label: string }> {
  const deps = { tenancy: opened.tenancy, defaultTenant: opened.defaultTenant }
  if (flags.user === undefined) {
    if (flags.tenant !== undefined) usage('--tenant needs --user <email>')
    const usersExist = (await opened.tenancy.stores.users.list({ limit: 1 })).length > 0
    const local = config.auth.mode === 'auto' && isLoopbackHost(config.http.host) && !usersExist
    if (!local) {
      const why = usersExist
        ? 'a user exists, so local single-user mode is over'
        : config.auth.mode === 'required'
          ? 'PIERRE_AUTH=required'
          : 'the server is not bound to loopback'
      usage(`name the owner of the activities with --user <email> (${why})`)
    }
    return {
      owner: { tenantId: opened.defaultTenant.id, userId: LOCAL_OWNER_ID },
      label: `the local owner (tenant ${opened.defaultTenant.slug})`,
    }
  }
  try {
    const user = await resolveUser(deps, flags.user)
    const tenant = await tenantOfUser(deps, user, flags.tenant)
    const memberships = await opened.tenancy.stores.memberships.listForUser(user.id)
    const member = memberships.some(
      (membership) => membership.tenantId === tenant.id && membership.status === 'active',
    )
    if (!member) usage(`user ${user.email} is not an active member of tenant ${tenant.slug}`)
    return {
      owner: { tenantId: tenant.id, userId: user.id },
      label: `${user.email} (tenant ${tenant.slug})`,
    }
  } catch (error) {
    if (error instanceof AdminError) usage(error.message)
    throw error
  }
}

program
  .command('import')
  .description(
    'import FIT, GPX and TCX files and folders (recursive) for a user; progress on stderr, summary on stdout',
  )
  .argument('<path...>', 'files and folders to import')
  .option(
    '--user <email|id>',
    'owner of the activities (default: the local owner in local single-user mode)',
  )
  .option('--tenant <slug|id>', "the user's tenant (default: their only one)")
  .addHelpText(
    'after',
    '\nExit status: 0 when some file was imported or was already imported, 1 when none was, 2 for a bad command line.',
  )
  .exitOverride((error) => {
    process.exit(error.exitCode === 0 ? 0 : 2)
  })
  .action(async (paths: string[], flags: { user?: string; tenant?: string }) => {
    const config = configOrFail()
    const logger = createLogger(config.logLevel === 'info' ? 'warn' : config.logLevel)
    let opened: OpenedTenancy
    try {
      opened = await openTenancy(config, { logger })
    } catch (error) {
      if (error instanceof StartupError || error instanceof StorageError) fail([error.message])
      throw error
    }
    let code: number
    try {
      const { owner, label } = await importOwner(opened, config, flags)
      process.stderr.write(`pierre-server: importing into ${config.dataDir} for ${label}\n`)
      const controller = new AbortController()
      process.once('SIGINT', () => controller.abort())
      const bar = createProgressBar(process.stderr)
      try {
        const summary = await importActivityFiles(paths, {
          db: opened.db,
          owner,
          onProgress: (progress) => bar.update(progress),
          signal: controller.signal,
        })
        bar.finish()
        process.stdout.write(`${formatImportSummary(summary, process.cwd())}\n`)
        code = importExitCode(summary)
      } catch (error) {
        bar.finish()
        if (error instanceof ImportStorageError) {
          logger.error({ err: error.cause }, 'import failed')
          process.stderr.write(`pierre-server: ${error.message}; the files done so far are kept\n`)
          code = 1
        } else if (controller.signal.aborted) {
          process.stderr.write(
            'pierre-server: import interrupted; the files done so far are kept\n',
          )
          code = 130
        } else {
          throw error
        }
      }
    } finally {
      opened.db.close()
    }
    process.exit(code)
  })

program.action(serve)

await program.parseAsync()
