import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { Writable } from 'node:stream'
import { createSystemActor } from '@pierre/tenancy'
import { onTestFinished } from 'vitest'
import {
  createApiKey,
  createLogger,
  createPierre,
  createUser,
  loadConfig,
  type Pierre,
  type TenancyTuning,
} from '../src/index.js'

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

/** Cheap RSA and scrypt settings for tests (the spec's costs are for production). */
export const fastTenancy: TenancyTuning = {
  signing: { modulusLength: 2048 },
  passwords: { parameters: { ln: 10, r: 8, p: 1 } },
}

/**
 * Starts a real server on 127.0.0.1 with an ephemeral port and an in-memory database (local
 * single-user mode unless the environment says `PIERRE_AUTH=required` or a user is created).
 */
export async function startServer(
  environment: Record<string, string> = {},
  options: { port?: number } = {},
): Promise<{ pierre: Pierre; url: string; logs: string[] }> {
  const config = loadConfig(
    { PIERRE_DATA_DIR: tempDir(), ...environment },
    { port: options.port ?? 0, host: '127.0.0.1' },
  )
  const { logger, lines } = memoryLogger()
  const pierre = await createPierre(config, {
    logger,
    inMemoryDatabase: true,
    tenancy: fastTenancy,
  })
  const { url } = await pierre.listen()
  onTestFinished(() => pierre.close(1000))
  return { pierre, url, logs: lines }
}

/** Creates an active user in the default tenant and an API key for them; returns both. */
export async function provisionUser(
  pierre: Pierre,
  options: { email: string; role?: 'user' | 'admin' | 'super_admin'; tier?: string },
): Promise<{ userId: string; key: string }> {
  const deps = { tenancy: pierre.tenancy, defaultTenant: pierre.defaultTenant }
  const actor = createSystemActor('test')
  const user = await createUser(deps, actor, {
    email: options.email,
    password: 'correct horse battery staple',
    role: options.role,
  })
  const { key } = await createApiKey(deps, actor, { user: user.id, tier: options.tier })
  return { userId: user.id, key }
}
