#!/usr/bin/env node
import { Command, InvalidArgumentError } from 'commander'
import { createPierre } from './app.js'
import { ConfigError, loadConfig } from './config.js'
import { createLogger } from './logger.js'
import { StorageError } from './storage/database.js'
import { VERSION } from './version.js'

function fail(lines: readonly string[]): never {
  for (const line of lines) process.stderr.write(`pierre-server: ${line}\n`)
  process.exit(1)
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

program.parse()
const flags = program.opts<{ port?: string; host?: string; dataDir?: string; stdio?: boolean }>()

let config: ReturnType<typeof loadConfig>
try {
  config = loadConfig(process.env, flags)
} catch (error) {
  if (error instanceof ConfigError) fail(error.problems)
  if (error instanceof InvalidArgumentError) fail([error.message])
  throw error
}

const logger = createLogger(config.logLevel)
let pierre: ReturnType<typeof createPierre>
try {
  pierre = createPierre(config, { logger })
} catch (error) {
  if (error instanceof StorageError) {
    logger.error({ err: error.cause ?? error }, 'start-up failed')
    fail([error.message])
  }
  throw error
}

let stopping = false
function stop(signal: string): void {
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
} else {
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
