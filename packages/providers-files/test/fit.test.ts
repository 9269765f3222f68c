import { hasProviderErrorCode } from '@pierre/providers-core'
import { describe, expect, it } from 'vitest'
import { parseFit } from '../src/index.js'
import { encodeFit, encodeMultisportFit, trackPoints } from './support.js'

const startMs = Date.UTC(2025, 2, 14, 11, 2, 13)
const run = { startMs, seconds: 600, sport: 'running', utcOffsetSeconds: -4 * 3600 } as const

function reasonOf(run: () => unknown): unknown {
  try {
    run()
  } catch (error) {
    expect(hasProviderErrorCode(error, 'invalid_data')).toBe(true)
    return (error as { details?: { reason?: unknown } }).details?.reason
  }
  throw new Error('expected the parser to throw')
}

describe('parseFit', () => {
  it('maps a generated run to the normalized model in SI units', () => {
    const [parsed] = parseFit(encodeFit(run), { fileName: '/data/morning-run.fit' })
    const points = trackPoints(run)
    expect(parsed?.format).toBe('fit')
    const activity = parsed?.activity
    expect(activity).toMatchObject({
      provider: 'files',
      name: 'morning-run',
      sport_type: 'run',
      sport_type_detail: 'running',
      start_date: '2025-03-14T11:02:13Z',
      start_date_local: '2025-03-14T07:02:13',
      utc_offset_seconds: -14_400,
      duration_seconds: 599,
      moving_time_seconds: 599,
      average_heart_rate: 140,
      max_heart_rate: 150,
      average_cadence: 170,
      average_power: 210,
      calories: 600,
      kilojoules: 1500,
      elevation_gain: 42,
      streams_available: true,
    })
    expect(activity?.id).toMatch(/^[0-9a-f]{16}$/)
    expect(activity?.distance_meters).toBeCloseTo(points.at(-1)?.distanceMeters ?? 0, 1)
    expect(activity?.start_latitude).toBeCloseTo(45.5, 6)
    expect(activity?.start_longitude).toBeCloseTo(-73.6, 6)
    expect(activity?.laps).toHaveLength(1)
  })

  it('converts record semicircles to degrees and keeps 1 Hz series aligned', () => {
    const [parsed] = parseFit(encodeFit(run))
    const streams = parsed?.streams
    const points = trackPoints(run)
    expect(streams?.sample_rate).toBe('1hz')
    expect(streams?.time).toHaveLength(600)
    expect(streams?.time.slice(0, 3)).toEqual([0, 1, 2])
    const [latitude, longitude] = streams?.latlng?.[300] ?? [0, 0]
    expect(latitude).toBeCloseTo(points[300]?.latitudeDegrees ?? 0, 6)
    expect(longitude).toBeCloseTo(-73.6, 6)
    expect(streams?.velocity?.[300]).toBeCloseTo(points[300]?.speedMetersPerSecond ?? 0, 2)
    expect(streams?.distance?.[599]).toBeCloseTo(points[599]?.distanceMeters ?? 0, 1)
    expect(streams?.heartrate?.[120]).toBe(points[120]?.heartRateBpm)
    expect(streams?.cadence?.[10]).toBe(170)
    expect(streams?.watts?.[10]).toBe(250)
    expect(streams?.temperature?.[10]).toBe(18)
    expect(streams?.altitude?.[0]).toBeCloseTo(100, 1)
  })

  it('keeps cycling cadence in rpm', () => {
    const [parsed] = parseFit(encodeFit({ startMs, seconds: 60, sport: 'cycling' }))
    expect(parsed?.activity.sport_type).toBe('ride')
    expect(parsed?.streams.cadence?.[5]).toBe(90)
    expect(parsed?.activity.utc_offset_seconds).toBe(0)
  })

  it.for([
    { sport: 'running', subSport: 'trail', expected: 'trail_running' },
    { sport: 'running', subSport: 'treadmill', expected: 'virtual_run' },
    { sport: 'cycling', subSport: 'indoorCycling', expected: 'virtual_ride' },
    { sport: 'cycling', subSport: 'mountain', expected: 'mountain_bike' },
    { sport: 'cycling', subSport: 'gravelCycling', expected: 'gravel_ride' },
    { sport: 'cycling', subSport: 'road', expected: 'ride' },
  ] as const)('maps $sport/$subSport to $expected (spec §8)', ({ sport, subSport, expected }) => {
    const [parsed] = parseFit(encodeFit({ startMs, seconds: 10, sport, subSport }))
    expect(parsed?.activity.sport_type).toBe(expected)
  })

  it('gives one activity per session of a multisport file, each with its own records', () => {
    const bytes = encodeMultisportFit([
      { startMs, seconds: 120, sport: 'cycling' },
      { startMs: startMs + 180_000, seconds: 60, sport: 'running' },
    ])
    const parsed = parseFit(bytes)
    expect(parsed.map((entry) => entry.activity.sport_type)).toEqual(['ride', 'run'])
    expect(parsed.map((entry) => entry.streams.time.length)).toEqual([120, 60])
    expect(parsed[1]?.activity.start_date).toBe('2025-03-14T11:05:13Z')
    expect(new Set(parsed.map((entry) => entry.activity.id)).size).toBe(2)
    expect(parsed[0]?.activity.id).toMatch(/^[0-9a-f]{16}-1$/)
  })

  it('gives the same id to the same bytes and another id to other bytes', () => {
    const first = parseFit(encodeFit(run))[0]?.activity.id
    expect(parseFit(encodeFit(run))[0]?.activity.id).toBe(first)
    expect(parseFit(encodeFit({ ...run, seconds: 601 }))[0]?.activity.id).not.toBe(first)
  })

  it('reports a flipped byte as corrupt (CRC)', () => {
    const bytes = encodeFit(run)
    bytes[200] = (bytes[200] ?? 0) ^ 0xff
    expect(reasonOf(() => parseFit(bytes))).toBe('corrupt')
  })

  it('reports a truncated file as corrupt', () => {
    const bytes = encodeFit(run)
    expect(reasonOf(() => parseFit(bytes.subarray(0, bytes.length - 100)))).toBe('corrupt')
  })

  it('reports other content as unsupported', () => {
    expect(reasonOf(() => parseFit(new TextEncoder().encode('hello world, not a fit file')))).toBe(
      'unsupported',
    )
  })
})
