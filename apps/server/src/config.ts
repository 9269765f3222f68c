import { homedir } from 'node:os'
import { isAbsolute, join, resolve } from 'node:path'
import { parseTrustProxy, type TrustProxy } from '@pierre/tenancy'
import { z } from 'zod'

const LOOPBACK_HOSTS = new Set(['127.0.0.1', 'localhost', '::1', '[::1]'])

const list = z.string().transform((value) =>
  value
    .split(',')
    .map((item) => item.trim())
    .filter((item) => item.length > 0),
)

const httpUrl = z.url({ protocol: /^https?$/, error: 'expected an http(s) URL' })
const optionalUrl = () => httpUrl.optional()
/** A credential value: trimmed, non-empty, optional (never echoed in errors). */
const secretish = (what: string) => z.string().trim().min(1, `expected ${what}`).optional()

function isTimeZone(zone: string): boolean {
  try {
    new Intl.DateTimeFormat('en', { timeZone: zone })
    return true
  } catch {
    return false
  }
}

/** Every `PIERRE_*` variable the server reads, with its default (`.env.example` mirrors it). */
export const environmentSchema = z.object({
  PIERRE_HOST: z
    .string()
    .min(1, 'expected a host name or IP address')
    .default('127.0.0.1')
    .describe('address to bind the HTTP server to'),
  PIERRE_PORT: z.coerce
    .number({ error: 'expected an integer between 0 and 65535' })
    .int('expected an integer between 0 and 65535')
    .min(0, 'expected an integer between 0 and 65535')
    .max(65535, 'expected an integer between 0 and 65535')
    .default(8081),
  PIERRE_DATA_DIR: z.string().min(1, 'expected a directory path').optional(),
  PIERRE_LOG_LEVEL: z
    .enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'], {
      error: 'expected one of fatal, error, warn, info, debug, trace, silent',
    })
    .default('info'),
  PIERRE_ALLOWED_ORIGINS: list.default([]),
  PIERRE_ALLOWED_HOSTS: list.default([]),
  PIERRE_MCP_MAX_BODY_BYTES: z.coerce
    .number({ error: 'expected an integer between 1024 and 104857600' })
    .int('expected an integer between 1024 and 104857600')
    .min(1024, 'expected an integer between 1024 and 104857600')
    .max(104_857_600, 'expected an integer between 1024 and 104857600')
    .default(4 * 1024 * 1024),
  PIERRE_MCP_SESSION_IDLE_SECONDS: z.coerce
    .number({ error: 'expected an integer between 10 and 86400' })
    .int('expected an integer between 10 and 86400')
    .min(10, 'expected an integer between 10 and 86400')
    .max(86_400, 'expected an integer between 10 and 86400')
    .default(1800),
  PIERRE_MCP_JSON_RESPONSE: z.stringbool({ error: 'expected true or false' }).default(false),
  PIERRE_SYNTHETIC_PROVIDER: z.stringbool({ error: 'expected true or false' }).default(true),
  PIERRE_STRAVA_CLIENT_ID: z.string().trim().min(1, 'expected a Strava client id').optional(),
  PIERRE_STRAVA_CLIENT_SECRET: z
    .string()
    .trim()
    .min(1, 'expected a Strava client secret')
    .optional(),
  PIERRE_STRAVA_API_BASE_URL: z
    .url({ protocol: /^https?$/, error: 'expected an http(s) URL' })
    .default('https://www.strava.com/api/v3'),
  PIERRE_STRAVA_OAUTH_BASE_URL: z
    .url({ protocol: /^https?$/, error: 'expected an http(s) URL' })
    .default('https://www.strava.com/oauth'),
  PIERRE_STRAVA_REDIRECT_URI: z
    .url({ protocol: /^https?$/, error: 'expected an http(s) URL' })
    .optional()
    .describe(
      'redirect URI registered with Strava; default <public URL>/api/oauth/callback/strava',
    ),
  PIERRE_FITBIT_CLIENT_ID: secretish('a Google OAuth client id'),
  PIERRE_FITBIT_CLIENT_SECRET: secretish('a Google OAuth client secret'),
  PIERRE_FITBIT_REDIRECT_URI: optionalUrl(),
  PIERRE_FITBIT_AUTH_URL: httpUrl.default('https://accounts.google.com/o/oauth2/v2/auth'),
  PIERRE_FITBIT_TOKEN_URL: httpUrl.default('https://oauth2.googleapis.com/token'),
  PIERRE_FITBIT_REVOKE_URL: httpUrl.default('https://oauth2.googleapis.com/revoke'),
  PIERRE_FITBIT_API_BASE_URL: httpUrl.default('https://health.googleapis.com/v4'),
  PIERRE_WHOOP_CLIENT_ID: secretish('a WHOOP client id'),
  PIERRE_WHOOP_CLIENT_SECRET: secretish('a WHOOP client secret'),
  PIERRE_WHOOP_REDIRECT_URI: optionalUrl(),
  PIERRE_WHOOP_AUTH_URL: httpUrl.default('https://api.prod.whoop.com/oauth/oauth2/auth'),
  PIERRE_WHOOP_TOKEN_URL: httpUrl.default('https://api.prod.whoop.com/oauth/oauth2/token'),
  PIERRE_WHOOP_API_BASE_URL: httpUrl.default('https://api.prod.whoop.com/developer'),
  PIERRE_GARMIN_CLIENT_ID: secretish('a Garmin consumer key'),
  PIERRE_GARMIN_CLIENT_SECRET: secretish('a Garmin consumer secret'),
  PIERRE_GARMIN_REDIRECT_URI: optionalUrl(),
  PIERRE_GARMIN_AUTH_URL: httpUrl.default('https://connect.garmin.com/oauth2Confirm'),
  PIERRE_GARMIN_TOKEN_URL: httpUrl.default(
    'https://diauth.garmin.com/di-oauth2-service/oauth/token',
  ),
  PIERRE_GARMIN_API_BASE_URL: httpUrl.default('https://apis.garmin.com'),
  PIERRE_COROS_CLIENT_ID: secretish('a COROS client id'),
  PIERRE_COROS_CLIENT_SECRET: secretish('a COROS client secret'),
  PIERRE_COROS_REDIRECT_URI: optionalUrl(),
  PIERRE_COROS_API_BASE_URL: httpUrl.default('https://open.coros.com'),
  PIERRE_COROS_TIME_ZONE: z
    .string()
    .trim()
    .refine(isTimeZone, 'expected an IANA time zone such as Europe/Paris')
    .default('UTC'),
  PIERRE_TERRA_DEV_ID: secretish('a Terra dev id'),
  PIERRE_TERRA_API_KEY: secretish('a Terra API key'),
  PIERRE_TERRA_SIGNING_SECRET: secretish('a Terra signing secret'),
  PIERRE_TERRA_API_BASE_URL: httpUrl.default('https://api.tryterra.co/v2'),
  PIERRE_MCP_CONFORMANCE_FIXTURES: z.stringbool({ error: 'expected true or false' }).default(false),
  PIERRE_AUTH: z
    .enum(['auto', 'required'], { error: 'expected auto or required' })
    .default('auto')
    .describe('auto: local single-user mode on loopback while no user exists; required: always'),
  PIERRE_TRUST_PROXY: z.string().default('false'),
  PIERRE_PUBLIC_URL: z
    .url({ protocol: /^https?$/, error: 'expected an http(s) URL' })
    .optional()
    .describe(
      'public base URL: the OAuth issuer and the base of the /mcp resource; default http://<host>:<port>',
    ),
  PIERRE_OAUTH_DCR: z
    .enum(['open', 'token', 'off'], { error: 'expected open, token or off' })
    .default('open')
    .describe('dynamic client registration: open (MCP clients need it), token, or off'),
  PIERRE_OAUTH_CODE_TTL_SECONDS: z.coerce
    .number({ error: 'expected an integer between 30 and 600' })
    .int('expected an integer between 30 and 600')
    .min(30, 'expected an integer between 30 and 600')
    .max(600, 'expected an integer between 30 and 600')
    .default(60),
  PIERRE_OAUTH_GRANT_MAX_DAYS: z.coerce
    .number({ error: 'expected an integer between 1 and 365' })
    .int('expected an integer between 1 and 365')
    .min(1, 'expected an integer between 1 and 365')
    .max(365, 'expected an integer between 1 and 365')
    .default(90),
  PIERRE_OAUTH_EXTRA_REDIRECT_SCHEMES: list
    .default([])
    .describe('extra private-use redirect URI schemes, e.g. cursor,vscode'),
  PIERRE_MASTER_KEY: z
    .string()
    .regex(/^\s*[A-Za-z0-9+/_-]{43}=?\s*$/, 'expected base64 of exactly 32 bytes')
    .optional(),
  PIERRE_MASTER_ENCRYPTION_KEY: z
    .string()
    .regex(/^\s*[A-Za-z0-9+/_-]{43}=?\s*$/, 'expected base64 of exactly 32 bytes')
    .optional(),
  PIERRE_MASTER_KEY_FILE: z.string().min(1, 'expected a file path').optional(),
})

/** Command-line flags that override the environment. */
export interface ConfigFlags {
  readonly port?: string | number | undefined
  readonly host?: string | undefined
  readonly dataDir?: string | undefined
  readonly stdio?: boolean | undefined
}

/** The Strava app registration and where its API lives. */
interface StravaConfig {
  readonly clientId: string
  readonly clientSecret: string
  /** Without a trailing slash. */
  readonly apiBaseUrl: string
  /** Without a trailing slash; `/authorize`, `/token` and `/deauthorize` live under it. */
  readonly oauthBaseUrl: string
}

/** Where Strava lives, known even without server credentials (a tenant may bring its own app). */
interface StravaEndpoints {
  /** Without a trailing slash. */
  readonly apiBaseUrl: string
  /** Without a trailing slash. */
  readonly oauthBaseUrl: string
  /** The redirect URI of the server's app; default `<base URL>/api/oauth/callback/strava`. */
  readonly redirectUri: string | undefined
}

/** An OAuth app registration taken from `PIERRE_<P>_CLIENT_ID` / `_SECRET` (secret: never log). */
export interface ServerOAuthApp {
  readonly clientId: string
  readonly clientSecret: string
}

/**
 * An OAuth provider other than Strava: the server's app (when both variables are set), its
 * endpoints (overridable, which is how tests point the server at a fake) and redirect URI.
 */
export interface OAuthProviderConfig {
  readonly app: ServerOAuthApp | undefined
  /** Without a trailing slash. */
  readonly apiBaseUrl: string
  readonly authorizationEndpoint: string | undefined
  readonly tokenEndpoint: string | undefined
  readonly revocationEndpoint: string | undefined
  /** The redirect URI of the server's app; default `<base URL>/api/oauth/callback/<provider>`. */
  readonly redirectUri: string | undefined
}

/** Terra's app credentials (secrets: never log) and API base. */
interface TerraConfig {
  readonly devId: string
  readonly apiKey: string
  /** The webhook destination's signing secret; without it the webhook route refuses everything. */
  readonly signingSecret: string | undefined
  readonly apiBaseUrl: string
}

/** The validated server configuration. */
export interface Config {
  readonly mode: 'http' | 'stdio'
  readonly http: {
    readonly host: string
    readonly port: number
    readonly allowedOrigins: readonly string[]
    readonly allowedHosts: readonly string[]
  }
  readonly dataDir: string
  readonly logLevel: z.output<typeof environmentSchema>['PIERRE_LOG_LEVEL']
  readonly providers: {
    /** Serve the synthetic athlete (on by default). */
    readonly synthetic: boolean
    /** Strava, when both its client id and secret are set (secret: never log the config). */
    readonly strava: StravaConfig | undefined
    /** Strava's endpoints and redirect URI, with or without server credentials. */
    readonly stravaEndpoints: StravaEndpoints
    /** Fitbit through the Google Health API (Google OAuth). */
    readonly fitbit: OAuthProviderConfig
    readonly whoop: OAuthProviderConfig
    readonly garmin: OAuthProviderConfig
    /** COROS serves OAuth and data on one host (`apiBaseUrl`). */
    readonly coros: OAuthProviderConfig & { readonly timeZone: string }
    /** Terra, when its dev id and API key are set. */
    readonly terra: TerraConfig | undefined
  }
  readonly mcp: {
    readonly maxBodyBytes: number
    readonly sessionIdleSeconds: number
    readonly jsonResponse: boolean
    readonly conformanceFixtures: boolean
    readonly maxSessionsPerPrincipal: number
    readonly maxSessions: number
  }
  readonly auth: {
    /** `auto`: local single-user mode on loopback while no user exists; `required`: always. */
    readonly mode: 'auto' | 'required'
    /** Which proxies may set `X-Forwarded-For` (`false`: none). */
    readonly trustProxy: TrustProxy
    /** Public base URL without a trailing slash; undefined: derived from the request's Host. */
    readonly publicUrl: string | undefined
  }
  readonly oauth: {
    /** Dynamic client registration policy. */
    readonly registration: 'open' | 'token' | 'off'
    readonly codeTtlSeconds: number
    /** Absolute lifetime of a grant (refresh-token family). */
    readonly grantMaxDays: number
    readonly extraRedirectSchemes: readonly string[]
  }
  readonly keys: {
    /** The master key as base64 (secret: never log the config). */
    readonly masterKey: string | undefined
    /** A key file to read instead of `<dataDir>/master.key`. */
    readonly masterKeyFile: string | undefined
  }
}

/** Thrown when the environment or flags hold a bad value; one line per problem. */
export class ConfigError extends Error {
  readonly problems: readonly string[]

  constructor(problems: readonly string[]) {
    super(problems.join('\n'))
    this.name = 'ConfigError'
    this.problems = problems
  }
}

type EnvironmentKey = keyof z.output<typeof environmentSchema>

/** Variables that mean nothing alone: an app is its id and its secret. */
const pairs: readonly (readonly [EnvironmentKey, EnvironmentKey])[] = [
  ['PIERRE_STRAVA_CLIENT_ID', 'PIERRE_STRAVA_CLIENT_SECRET'],
  ['PIERRE_FITBIT_CLIENT_ID', 'PIERRE_FITBIT_CLIENT_SECRET'],
  ['PIERRE_WHOOP_CLIENT_ID', 'PIERRE_WHOOP_CLIENT_SECRET'],
  ['PIERRE_GARMIN_CLIENT_ID', 'PIERRE_GARMIN_CLIENT_SECRET'],
  ['PIERRE_COROS_CLIENT_ID', 'PIERRE_COROS_CLIENT_SECRET'],
  ['PIERRE_TERRA_DEV_ID', 'PIERRE_TERRA_API_KEY'],
]

const flagNames: Record<string, string> = {
  PIERRE_PORT: '--port',
  PIERRE_HOST: '--host',
  PIERRE_DATA_DIR: '--data-dir',
}

/**
 * Builds the configuration from the environment and the CLI flags (flags win). Pure: tests call it
 * with plain objects. Throws {@link ConfigError} naming each bad variable, never its value.
 */
export function loadConfig(
  environment: Readonly<Record<string, string | undefined>>,
  flags: ConfigFlags = {},
): Config {
  const merged: Record<string, unknown> = {}
  for (const key of Object.keys(environmentSchema.shape)) {
    const value = environment[key]
    if (value !== undefined && value !== '') merged[key] = value
  }
  const fromFlags = new Set<string>()
  if (flags.port !== undefined) {
    merged.PIERRE_PORT = String(flags.port)
    fromFlags.add('PIERRE_PORT')
  }
  if (flags.host !== undefined) {
    merged.PIERRE_HOST = flags.host
    fromFlags.add('PIERRE_HOST')
  }
  if (flags.dataDir !== undefined) {
    merged.PIERRE_DATA_DIR = flags.dataDir
    fromFlags.add('PIERRE_DATA_DIR')
  }
  if (typeof merged.PIERRE_PORT === 'string' && !/^\s*\d+\s*$/.test(merged.PIERRE_PORT)) {
    merged.PIERRE_PORT = Number.NaN
  }

  const parsed = environmentSchema.safeParse(merged)
  if (!parsed.success) {
    throw new ConfigError(
      parsed.error.issues.map((issue) => {
        const key = String(issue.path[0])
        const name = fromFlags.has(key) ? (flagNames[key] ?? key) : key
        return `${name}: ${issue.message}`
      }),
    )
  }
  const env = parsed.data
  if (
    env.PIERRE_MASTER_KEY !== undefined &&
    env.PIERRE_MASTER_ENCRYPTION_KEY !== undefined &&
    env.PIERRE_MASTER_KEY.trim() !== env.PIERRE_MASTER_ENCRYPTION_KEY.trim()
  ) {
    throw new ConfigError([
      'PIERRE_MASTER_KEY: differs from PIERRE_MASTER_ENCRYPTION_KEY (set only one of them)',
    ])
  }
  const unpaired = pairs
    .filter(([first, second]) => (env[first] === undefined) !== (env[second] === undefined))
    .map(([first, second]) =>
      env[first] === undefined
        ? `${first}: required when ${second} is set`
        : `${second}: required when ${first} is set`,
    )
  if (unpaired.length > 0) throw new ConfigError(unpaired)
  const host = env.PIERRE_HOST
  if (!LOOPBACK_HOSTS.has(host) && env.PIERRE_ALLOWED_HOSTS.length === 0) {
    const name = fromFlags.has('PIERRE_HOST') ? '--host' : 'PIERRE_HOST'
    throw new ConfigError([
      `${name}: binding to a non-loopback address requires PIERRE_ALLOWED_HOSTS (comma-separated host names clients use)`,
    ])
  }
  let trustProxy: TrustProxy
  try {
    trustProxy = parseTrustProxy(env.PIERRE_TRUST_PROXY)
  } catch {
    throw new ConfigError([
      'PIERRE_TRUST_PROXY: expected false, a hop count, loopback or a list of addresses/CIDR ranges',
    ])
  }
  const dataDir = env.PIERRE_DATA_DIR ?? join(homedir(), '.pierre')
  return {
    mode: flags.stdio === true ? 'stdio' : 'http',
    http: {
      host,
      port: env.PIERRE_PORT,
      allowedOrigins: env.PIERRE_ALLOWED_ORIGINS,
      allowedHosts: env.PIERRE_ALLOWED_HOSTS,
    },
    dataDir: isAbsolute(dataDir) ? dataDir : resolve(dataDir),
    logLevel: env.PIERRE_LOG_LEVEL,
    mcp: {
      maxBodyBytes: env.PIERRE_MCP_MAX_BODY_BYTES,
      sessionIdleSeconds: env.PIERRE_MCP_SESSION_IDLE_SECONDS,
      jsonResponse: env.PIERRE_MCP_JSON_RESPONSE,
      conformanceFixtures: env.PIERRE_MCP_CONFORMANCE_FIXTURES,
      maxSessionsPerPrincipal: 16,
      maxSessions: 1000,
    },
    providers: {
      synthetic: env.PIERRE_SYNTHETIC_PROVIDER,
      strava:
        env.PIERRE_STRAVA_CLIENT_ID === undefined || env.PIERRE_STRAVA_CLIENT_SECRET === undefined
          ? undefined
          : {
              clientId: env.PIERRE_STRAVA_CLIENT_ID,
              clientSecret: env.PIERRE_STRAVA_CLIENT_SECRET,
              apiBaseUrl: env.PIERRE_STRAVA_API_BASE_URL.replace(/\/+$/, ''),
              oauthBaseUrl: env.PIERRE_STRAVA_OAUTH_BASE_URL.replace(/\/+$/, ''),
            },
      stravaEndpoints: {
        apiBaseUrl: env.PIERRE_STRAVA_API_BASE_URL.replace(/\/+$/, ''),
        oauthBaseUrl: env.PIERRE_STRAVA_OAUTH_BASE_URL.replace(/\/+$/, ''),
        redirectUri: env.PIERRE_STRAVA_REDIRECT_URI,
      },
      fitbit: {
        app: appOf(env.PIERRE_FITBIT_CLIENT_ID, env.PIERRE_FITBIT_CLIENT_SECRET),
        apiBaseUrl: trimSlash(env.PIERRE_FITBIT_API_BASE_URL),
        authorizationEndpoint: env.PIERRE_FITBIT_AUTH_URL,
        tokenEndpoint: env.PIERRE_FITBIT_TOKEN_URL,
        revocationEndpoint: env.PIERRE_FITBIT_REVOKE_URL,
        redirectUri: env.PIERRE_FITBIT_REDIRECT_URI,
      },
      whoop: {
        app: appOf(env.PIERRE_WHOOP_CLIENT_ID, env.PIERRE_WHOOP_CLIENT_SECRET),
        apiBaseUrl: trimSlash(env.PIERRE_WHOOP_API_BASE_URL),
        authorizationEndpoint: env.PIERRE_WHOOP_AUTH_URL,
        tokenEndpoint: env.PIERRE_WHOOP_TOKEN_URL,
        revocationEndpoint: undefined,
        redirectUri: env.PIERRE_WHOOP_REDIRECT_URI,
      },
      garmin: {
        app: appOf(env.PIERRE_GARMIN_CLIENT_ID, env.PIERRE_GARMIN_CLIENT_SECRET),
        apiBaseUrl: trimSlash(env.PIERRE_GARMIN_API_BASE_URL),
        authorizationEndpoint: env.PIERRE_GARMIN_AUTH_URL,
        tokenEndpoint: env.PIERRE_GARMIN_TOKEN_URL,
        revocationEndpoint: undefined,
        redirectUri: env.PIERRE_GARMIN_REDIRECT_URI,
      },
      coros: {
        app: appOf(env.PIERRE_COROS_CLIENT_ID, env.PIERRE_COROS_CLIENT_SECRET),
        apiBaseUrl: trimSlash(env.PIERRE_COROS_API_BASE_URL),
        authorizationEndpoint: undefined,
        tokenEndpoint: undefined,
        revocationEndpoint: undefined,
        redirectUri: env.PIERRE_COROS_REDIRECT_URI,
        timeZone: env.PIERRE_COROS_TIME_ZONE,
      },
      terra:
        env.PIERRE_TERRA_DEV_ID === undefined || env.PIERRE_TERRA_API_KEY === undefined
          ? undefined
          : {
              devId: env.PIERRE_TERRA_DEV_ID,
              apiKey: env.PIERRE_TERRA_API_KEY,
              signingSecret: env.PIERRE_TERRA_SIGNING_SECRET,
              apiBaseUrl: trimSlash(env.PIERRE_TERRA_API_BASE_URL),
            },
    },
    auth: {
      mode: env.PIERRE_AUTH,
      trustProxy,
      publicUrl: env.PIERRE_PUBLIC_URL?.replace(/\/+$/, ''),
    },
    oauth: {
      registration: env.PIERRE_OAUTH_DCR,
      codeTtlSeconds: env.PIERRE_OAUTH_CODE_TTL_SECONDS,
      grantMaxDays: env.PIERRE_OAUTH_GRANT_MAX_DAYS,
      extraRedirectSchemes: env.PIERRE_OAUTH_EXTRA_REDIRECT_SCHEMES,
    },
    keys: {
      masterKey: (env.PIERRE_MASTER_KEY ?? env.PIERRE_MASTER_ENCRYPTION_KEY)?.trim(),
      masterKeyFile: env.PIERRE_MASTER_KEY_FILE,
    },
  }
}

const trimSlash = (url: string): string => url.replace(/\/+$/, '')

function appOf(
  clientId: string | undefined,
  clientSecret: string | undefined,
): ServerOAuthApp | undefined {
  return clientId === undefined || clientSecret === undefined
    ? undefined
    : { clientId, clientSecret }
}

/** Returns true for a loopback bind address. */
export function isLoopbackHost(host: string): boolean {
  return LOOPBACK_HOSTS.has(host)
}
