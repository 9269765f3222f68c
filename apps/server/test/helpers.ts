import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { Writable } from 'node:stream'
import { onTestFinished } from 'vitest'
import { createLogger, createPierre, loadConfig, type Pierre } from '../src/index.js'

/** A temporary directory removed when the test finishes. */
export function tempDir(prefix = 'pierre-test-'): string {
  const dir = mkdtempSync(join(tmpdir(), prefix))
  onTestFinished(() => rmSync(dir, { recursive: true, force: true }))
  return dir
}

/** Collects log lines instead of writing them anywhere. */
export function memoryLogger(): { logger: ReturnType<typeof createLogger>; lines: string[] } {
  const lines: string[] = []
  const sink = new Writable({
    write(chunk, _encoding, callback) {
      lines.push(...String(chunk).split('\n').filter(Boolean))
      callback()
    },
  })
  return { logger: createLogger('debug', sink), lines }
}

/** Starts a real server on 127.0.0.1 with an ephemeral port and an in-memory database. */
export async function startServer(
  environment: Record<string, string> = {},
): Promise<{ pierre: Pierre; url: string; logs: string[] }> {
  const config = loadConfig(
    { PIERRE_DATA_DIR: tempDir(), ...environment },
    { port: 0, host: '127.0.0.1' },
  )
  const { logger, lines } = memoryLogger()
  const pierre = createPierre(config, { logger, inMemoryDatabase: true })
  const { url } = await pierre.listen()
  onTestFinished(() => pierre.close(1000))
  return { pierre, url, logs: lines }
}
