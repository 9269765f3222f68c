import { type DestinationStream, type Logger, pino } from 'pino'

/** Paths pino redacts wherever they appear (STYLE.md B.7). */
const REDACT_PATHS = [
  'authorization',
  'cookie',
  '*.authorization',
  '*.cookie',
  'req.headers.authorization',
  'req.headers.cookie',
  '*.access_token',
  '*.refresh_token',
  '*.client_secret',
  '*.id_token',
  '*.password',
]

/**
 * Creates the server's one logger: JSON on stderr (stdout belongs to the MCP stdio transport), with
 * secrets redacted. Tests pass their own destination.
 */
export function createLogger(level: string, destination?: DestinationStream): Logger {
  return pino(
    {
      level,
      base: { service: 'pierre-server' },
      redact: { paths: REDACT_PATHS, censor: '[redacted]' },
    },
    destination ?? pino.destination({ dest: 2, sync: true }),
  )
}

export type { Logger }
