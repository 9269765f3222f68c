import type {
  AccessTokenSource,
  Activity,
  ActivityStreams,
  Athlete,
  FitnessProvider,
  HttpClientOptions,
  ProviderDescriptor,
} from '../../src/index.js'
import { createHttpClient, createProvider, paginate } from '../../src/index.js'
import type { FakeUpstream, FakeUpstreamOptions } from '../../src/testing/index.js'
import { pageOf, startFakeUpstream } from '../../src/testing/index.js'

/** A settable clock for tests. */
export interface TestClock {
  (): Date
  set(iso: string): void
  advance(ms: number): void
}

export function createTestClock(iso: string): TestClock {
  let current = Date.parse(iso)
  const clock = (() => new Date(current)) as TestClock
  clock.set = (next) => {
    current = Date.parse(next)
  }
  clock.advance = (ms) => {
    current += ms
  }
  return clock
}

/** A run as the demo upstream stores it (Strava-like field names and units). */
export interface DemoRun {
  readonly id: string
  readonly name: string
  readonly start_date: string
  readonly elapsed_time: number
  readonly distance_km: number
  readonly type: 'Run' | 'Ride'
}

/** 23 activities, one a day at 11:00Z from 2025-02-20, newest first; two share a start second. */
export const demoRuns: readonly DemoRun[] = Array.from({ length: 23 }, (_, index) => {
  const day = new Date(Date.UTC(2025, 1, 20 + index, 11, 0, 0))
  return {
    id: String(1000 + index),
    name: index % 3 === 0 ? 'Lunch Ride' : 'Morning Run',
    start_date: day.toISOString().replace('.000Z', 'Z'),
    elapsed_time: 1800 + index * 60,
    distance_km: 5 + index / 2,
    type: index % 3 === 0 ? ('Ride' as const) : ('Run' as const),
  }
}).reverse()

export const demoDescriptor: ProviderDescriptor = {
  name: 'demo',
  displayName: 'Demo',
  capabilities: ['oauth', 'activities', 'streams', 'athlete'],
  auth: {
    kind: 'oauth2',
    authorizationEndpoint: 'https://demo.example/oauth/authorize',
    tokenEndpoint: 'https://demo.example/oauth/token',
    revocation: { endpoint: 'https://demo.example/oauth/revoke' },
    scopeSeparator: ' ',
    pkce: 'required',
    clientAuth: 'client_secret_basic',
  },
  apiBaseUrl: 'https://demo.example/api',
  defaultScopes: ['activity:read', 'profile:read'],
}

/** Starts the demo upstream: `/api/athlete`, `/api/activities` (page, per_page, before, after), detail, streams. */
export async function startDemoUpstream(
  options: Omit<FakeUpstreamOptions, 'routes'> = {},
): Promise<FakeUpstream> {
  return startFakeUpstream({
    oauth: { clientId: 'demo-client', clientSecret: 'demo-secret' },
    ...options,
    routes: [
      {
        path: '/api/athlete',
        respond: { body: { id: 7, firstname: 'Camille', lastname: 'Tremblay' } },
      },
      {
        path: '/api/activities',
        respond: (request) => {
          const before = Number(request.query.get('before') ?? Number.POSITIVE_INFINITY)
          const after = Number(request.query.get('after') ?? Number.NEGATIVE_INFINITY)
          const matching = demoRuns.filter((run) => {
            const start = Date.parse(run.start_date) / 1000
            return start < before && start > after
          })
          return { body: pageOf(matching, request) }
        },
      },
      {
        path: '/api/activities/:id',
        respond: (request) => {
          const run = demoRuns.find((candidate) => candidate.id === request.params.id)
          return run === undefined
            ? { status: 404, body: { message: 'Record Not Found' } }
            : { body: run }
        },
      },
      {
        path: '/api/activities/:id/streams',
        respond: (request) => ({
          body: {
            activity: request.params.id,
            time: [0, 1, 2, 4],
            heartrate: [120, 121, null, 125],
          },
        }),
      },
    ],
  })
}

function toActivity(run: DemoRun): Activity {
  return {
    id: run.id,
    provider: 'demo',
    name: run.name,
    sport_type: run.type === 'Run' ? 'run' : 'ride',
    sport_type_detail: run.type,
    start_date: run.start_date,
    duration_seconds: run.elapsed_time,
    distance_meters: run.distance_km * 1000,
    streams_available: true,
  }
}

/** Options of {@link createDemoProvider}. */
export interface DemoProviderOptions
  extends Partial<Omit<HttpClientOptions, 'provider' | 'baseUrl'>> {
  readonly baseUrl: string
  readonly auth?: AccessTokenSource
}

/** A small provider adapter written the way provider packages will write theirs. */
export function createDemoProvider(options: DemoProviderOptions): FitnessProvider {
  const { baseUrl, ...rest } = options
  const http = createHttpClient({ ...rest, provider: 'demo', baseUrl: `${baseUrl}/api` })
  return createProvider(demoDescriptor, {
    async getAthlete(callOptions) {
      const body = await http.getJson<{ id: number; firstname: string; lastname: string }>(
        '/athlete',
        {
          ...(callOptions?.signal === undefined ? {} : { signal: callOptions.signal }),
        },
      )
      const athlete: Athlete = {
        id: String(body.id),
        username: '',
        firstname: body.firstname,
        lastname: body.lastname,
        provider: 'demo',
      }
      return athlete
    },
    iterateActivities(query = {}, callOptions) {
      const pageSize = query.pageSize ?? 50
      return paginate(
        {
          kind: 'page',
          pageSize,
          fetchPage: async ({ page, signal }) => {
            const runs = await http.getJson<DemoRun[]>('/activities', {
              query: {
                page,
                per_page: pageSize,
                before: query.before,
                // the demo API's after is strict, the normalized one inclusive
                after: query.after === undefined ? undefined : query.after - 1,
              },
              ...(signal === undefined ? {} : { signal }),
            })
            return runs.map(toActivity)
          },
        },
        callOptions?.signal === undefined ? {} : { signal: callOptions.signal },
      )
    },
    async getActivity(id, callOptions) {
      const run = await http.getJson<DemoRun>(`/activities/${encodeURIComponent(id)}`, {
        resource: 'activity',
        resourceId: id,
        ...(callOptions?.signal === undefined ? {} : { signal: callOptions.signal }),
      })
      return toActivity(run)
    },
    async getActivityStreams(id) {
      const body = await http.getJson<{ time: number[]; heartrate: (number | null)[] }>(
        `/activities/${encodeURIComponent(id)}/streams`,
        { resource: 'activity', resourceId: id },
      )
      const streams: ActivityStreams = {
        activity_id: id,
        provider: 'demo',
        start_date: demoRuns.find((run) => run.id === id)?.start_date ?? '2025-03-14T11:00:00Z',
        sample_rate: 'irregular',
        original_size: body.time.length,
        time: body.time,
        heartrate: body.heartrate,
      }
      return streams
    },
  })
}
