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

  it('lists exactly the schema variables in .env.example', () => {
    const text = readFileSync(new URL('../.env.example', import.meta.url), 'utf8')
    const keys = text
      .split('\n')
      .filter((line) => /^[A-Z_]+=/.test(line))
      .map((line) => line.slice(0, line.indexOf('=')))
    expect(keys.sort()).toEqual(Object.keys(environmentSchema.shape).sort())
  })
})
