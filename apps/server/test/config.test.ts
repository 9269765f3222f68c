import { readFileSync } from 'node:fs'
import { homedir } from 'node:os'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { ConfigError, environmentSchema, loadConfig } from '../src/index.js'

function problems(run: () => unknown): readonly string[] {
  try {
    run()
  } catch (error) {
    if (error instanceof ConfigError) return error.problems
    throw error
  }
  throw new Error('expected a ConfigError')
}

describe('loadConfig', () => {
  it('has working defaults for everything', () => {
    const config = loadConfig({})
    expect(config.mode).toBe('http')
    expect(config.http).toEqual({
      host: '127.0.0.1',
      port: 8081,
      allowedOrigins: [],
      allowedHosts: [],
    })
    expect(config.dataDir).toBe(join(homedir(), '.pierre'))
    expect(config.mcp.maxBodyBytes).toBe(4 * 1024 * 1024)
    expect(config.mcp.sessionIdleSeconds).toBe(1800)
    expect(config.mcp.jsonResponse).toBe(false)
    expect(config.logLevel).toBe('info')
  })

  it('reads PIERRE_* variables and lets flags override them', () => {
    const config = loadConfig(
      { PIERRE_PORT: '9000', PIERRE_HOST: 'localhost', PIERRE_DATA_DIR: '/tmp/a' },
      { port: '9100', dataDir: '/tmp/b', stdio: true },
    )
    expect(config.http.port).toBe(9100)
    expect(config.http.host).toBe('localhost')
    expect(config.dataDir).toBe('/tmp/b')
    expect(config.mode).toBe('stdio')
  })

  it('parses lists and booleans strictly', () => {
    const config = loadConfig({
      PIERRE_ALLOWED_ORIGINS: 'https://a.example, https://b.example',
      PIERRE_MCP_JSON_RESPONSE: 'false',
    })
    expect(config.http.allowedOrigins).toEqual(['https://a.example', 'https://b.example'])
    expect(config.mcp.jsonResponse).toBe(false)
    expect(loadConfig({ PIERRE_MCP_JSON_RESPONSE: 'true' }).mcp.jsonResponse).toBe(true)
  })

  it.for([
    {
      name: 'non-numeric port',
      env: { PIERRE_PORT: 'abc' },
      line: 'PIERRE_PORT: expected an integer between 0 and 65535',
    },
    {
      name: 'port too large',
      env: { PIERRE_PORT: '70000' },
      line: 'PIERRE_PORT: expected an integer between 0 and 65535',
    },
    {
      name: 'fractional port',
      env: { PIERRE_PORT: '80.5' },
      line: 'PIERRE_PORT: expected an integer between 0 and 65535',
    },
    {
      name: 'bad boolean',
      env: { PIERRE_MCP_JSON_RESPONSE: 'yes please' },
      line: 'PIERRE_MCP_JSON_RESPONSE: expected true or false',
    },
    {
      name: 'bad log level',
      env: { PIERRE_LOG_LEVEL: 'loud' },
      line: 'PIERRE_LOG_LEVEL: expected one of fatal, error, warn, info, debug, trace, silent',
    },
  ])('rejects a $name with one line naming the variable', ({ env, line }) => {
    expect(problems(() => loadConfig(env))).toEqual([line])
  })

  it('reads the authentication and key settings', () => {
    const defaults = loadConfig({})
    expect(defaults.auth).toEqual({ mode: 'auto', trustProxy: false, publicUrl: undefined })
    expect(defaults.keys).toEqual({ masterKey: undefined, masterKeyFile: undefined })
    const key = Buffer.alloc(32, 1).toString('base64')
    const config = loadConfig({
      PIERRE_AUTH: 'required',
      PIERRE_TRUST_PROXY: 'loopback',
      PIERRE_PUBLIC_URL: 'https://pierre.example.com/',
      PIERRE_MASTER_ENCRYPTION_KEY: key,
    })
    expect(config.auth).toEqual({
      mode: 'required',
      trustProxy: ['127.0.0.0/8', '::1/128'],
      publicUrl: 'https://pierre.example.com',
    })
    expect(config.keys.masterKey).toBe(key)
    expect(loadConfig({ PIERRE_TRUST_PROXY: '2' }).auth.trustProxy).toBe(2)
  })

  it.for([
    { env: { PIERRE_AUTH: 'off' }, line: 'PIERRE_AUTH: expected auto or required' },
    {
      env: { PIERRE_TRUST_PROXY: 'true' },
      line: 'PIERRE_TRUST_PROXY: expected false, a hop count, loopback or a list of addresses/CIDR ranges',
    },
    {
      env: { PIERRE_MASTER_ENCRYPTION_KEY: 'too-short-secret' },
      line: 'PIERRE_MASTER_ENCRYPTION_KEY: expected base64 of exactly 32 bytes',
    },
    { env: { PIERRE_PUBLIC_URL: 'ftp://x' }, line: 'PIERRE_PUBLIC_URL: expected an http(s) URL' },
  ])('rejects $line', ({ env, line }) => {
    expect(problems(() => loadConfig(env))).toEqual([line])
  })

  it('names the flag, not the variable, when a flag is wrong', () => {
    expect(problems(() => loadConfig({}, { port: 'x' }))).toEqual([
      '--port: expected an integer between 0 and 65535',
    ])
  })

  it('never echoes the bad value', () => {
    const lines = problems(() => loadConfig({ PIERRE_PORT: 'secret-looking-value' }))
    expect(lines.join('\n')).not.toContain('secret-looking-value')
  })

  it('reports every problem at once', () => {
    expect(problems(() => loadConfig({ PIERRE_PORT: '-1', PIERRE_LOG_LEVEL: 'x' }))).toHaveLength(2)
  })

  it('requires PIERRE_ALLOWED_HOSTS to bind beyond loopback', () => {
    expect(problems(() => loadConfig({ PIERRE_HOST: '0.0.0.0' }))[0]).toMatch(
      /^PIERRE_HOST: binding to a non-loopback address requires PIERRE_ALLOWED_HOSTS/,
    )
    expect(
      loadConfig({ PIERRE_HOST: '0.0.0.0', PIERRE_ALLOWED_HOSTS: 'pierre.example' }).http.host,
    ).toBe('0.0.0.0')
  })

  it('takes the master key from PIERRE_MASTER_KEY or PIERRE_MASTER_ENCRYPTION_KEY, not both differing', () => {
    const key = 'A'.repeat(43)
    const other = 'B'.repeat(43)
    expect(loadConfig({ PIERRE_MASTER_KEY: key }).keys.masterKey).toBe(key)
    expect(loadConfig({ PIERRE_MASTER_ENCRYPTION_KEY: key }).keys.masterKey).toBe(key)
    expect(
      problems(() => loadConfig({ PIERRE_MASTER_KEY: key, PIERRE_MASTER_ENCRYPTION_KEY: other })),
    ).toEqual([
      'PIERRE_MASTER_KEY: differs from PIERRE_MASTER_ENCRYPTION_KEY (set only one of them)',
    ])
    expect(problems(() => loadConfig({ PIERRE_MASTER_KEY: 'short' }))).toEqual([
      'PIERRE_MASTER_KEY: expected base64 of exactly 32 bytes',
    ])
  })

  it('lists exactly the schema variables in .env.example', () => {
    const text = readFileSync(new URL('../.env.example', import.meta.url), 'utf8')
    const keys = text
      .split('\n')
      .filter((line) => /^[A-Z_]+=/.test(line))
      .map((line) => line.slice(0, line.indexOf('=')))
    expect(keys.sort()).toEqual(Object.keys(environmentSchema.shape).sort())
  })
})
