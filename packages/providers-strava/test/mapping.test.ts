import { readFileSync } from 'node:fs'
import {
  activitySchema,
  activityStreamsSchema,
  athleteSchema,
  parseJsonPreservingBigIntegers,
  statsSchema,
} from '@pierre/providers-core'
import { describe, expect, it } from 'vitest'
import {
  mapStravaActivity,
  mapStravaActivityZones,
  mapStravaAthlete,
  mapStravaAthleteZones,
  mapStravaSport,
  mapStravaStats,
  mapStravaStreams,
} from '../src/index.js'
import { setUp } from './support.js'

const fixture = (name: string): unknown =>
  parseJsonPreservingBigIntegers(readFileSync(new URL(`fixtures/${name}`, import.meta.url), 'utf8'))

const summaries = fixture('athlete_activities.json') as Record<string, unknown>[]
const detail = fixture('activity_detail.json') as Record<string, unknown>

describe('SummaryActivity → Activity', () => {
  const mapped = summaries.map(mapStravaActivity)

  it('produces valid activities for every fixture entry', () => {
    for (const activity of mapped) expect(activitySchema.parse(activity)).toEqual(activity)
  })

  it('maps the run: SI units, local time kept without the false Z, cadence doubled, HR rounded', () => {
    expect(mapped[0]).toMatchObject({
      id: '13876543210',
      provider: 'strava',
      sport_type: 'run',
      sport_type_detail: 'Run',
      start_date: '2025-03-14T11:02:13Z',
      start_date_local: '2025-03-14T07:02:13',
      utc_offset_seconds: -14400,
      time_zone: 'America/Toronto',
      duration_seconds: 2745,
      moving_time_seconds: 2688,
      distance_meters: 8012.4,
      elevation_gain: 15.2,
      average_speed: 2.981,
      max_speed: 4.238,
      average_heart_rate: 151,
      max_heart_rate: 174,
      average_cadence: 173,
      temperature: 5,
      suffer_score: 48,
      start_latitude: 45.479312,
      start_longitude: -73.577401,
      gear_id: 'g14523687',
      trainer: false,
    })
    expect(mapped[0]?.calories).toBeUndefined()
  })

  it('maps the gravel ride from sport_type with power, device watts and workout type', () => {
    const ride = mapped[1]
    const raw = summaries[1] as Record<string, number>
    expect(ride).toMatchObject({
      sport_type: 'gravel_ride',
      sport_type_detail: 'GravelRide',
      average_power: Math.round(raw.average_watts as number),
      normalized_power: raw.weighted_average_watts,
      power_is_estimated: false,
      kilojoules: raw.kilojoules,
      workout_type: 10,
      average_cadence: Math.round(raw.average_cadence as number),
    })
  })

  it('keeps the virtual ride, the swim without position or HR, and weight training without distance', () => {
    expect(mapped[2]).toMatchObject({ sport_type: 'virtual_ride', trainer: true })
    expect(mapped[3]).toMatchObject({ sport_type: 'swim', distance_meters: 2000 })
    expect(mapped[3]?.start_latitude).toBeUndefined()
    expect(mapped[3]?.average_heart_rate).toBeUndefined()
    expect(mapped[4]).toMatchObject({ sport_type: 'strength_training', distance_meters: null })
  })
})

describe('DetailedActivity → Activity', () => {
  const activity = mapStravaActivity(detail)

  it('adds calories (kcal), description, device, laps, splits and segment efforts', () => {
    expect(activitySchema.safeParse(activity).success).toBe(true)
    expect(activity.calories).toBe(Math.round(detail.calories as number))
    expect(activity.device_name).toBe(detail.device_name)
    expect(activity.laps).toHaveLength(9)
    expect(activity.laps?.[0]).toMatchObject({
      index: 1,
      distance_meters: 1001,
      duration_seconds: 361,
      average_cadence: 172,
      average_heart_rate: 142,
      start_index: 0,
      end_index: 361,
    })
    expect(activity.splits).toHaveLength(9)
    expect(activity.splits?.[1]?.start_date).toBe('2025-03-14T11:08:14Z')
  })

  it('keeps the 64-bit segment effort id exactly and derives the elevation gain', () => {
    expect(activity.segment_efforts?.[0]).toMatchObject({
      id: '3318877665544332211',
      segment_id: '24681357',
      distance: 1340.3,
      climb_category: 0,
      average_grade: 0.1,
      elevation_gain: 5.5,
    })
  })
})

describe('zones, athlete, stats and streams', () => {
  it('maps activity zones to Z1…Z5 in minutes with an open top zone', () => {
    const zones = mapStravaActivityZones(fixture('activity_zones.json'))
    expect(zones.heart_rate_zones).toEqual([
      { name: 'Z1', min_hr: 0, max_hr: 122, minutes: 0 },
      { name: 'Z2', min_hr: 122, max_hr: 153, minutes: 26 },
      { name: 'Z3', min_hr: 153, max_hr: 168, minutes: 18 },
      { name: 'Z4', min_hr: 168, max_hr: 183, minutes: 1 },
      { name: 'Z5', min_hr: 183, max_hr: null, minutes: 0 },
    ])
    expect(zones.power_zones).toBeUndefined()
  })

  it('maps the athlete zones: 5 heart-rate and 7 power zones', () => {
    const zones = mapStravaAthleteZones(fixture('athlete_zones.json'))
    expect(zones.heart_rate).toHaveLength(5)
    expect(zones.power).toHaveLength(7)
    expect(zones.heart_rate[4]).toEqual({ name: 'Z5', min_hr: 183, max_hr: null })
  })

  it('maps the athlete: sex, weight kg, ftp, metric preference', () => {
    const athlete = mapStravaAthlete(fixture('athlete.json') as Record<string, unknown>)
    expect(athleteSchema.parse(athlete)).toMatchObject({
      id: '48213977',
      username: 'camille_tremblay_mtl',
      sex: 'female',
      weight_kg: 58.4,
      ftp: 212,
      city: 'Montréal',
      region: 'Québec',
      measurement_preference: 'metric',
    })
    expect(athlete.profile_picture).toMatch(/large\.jpg$/)
    expect(mapStravaAthlete({ id: 1, username: null }).username).toBe('')
  })

  it('sums runs, rides and swims into all-time stats', () => {
    const stats = statsSchema.parse(
      mapStravaStats(fixture('athlete_stats.json') as Record<string, unknown>),
    )
    expect(stats.total_activities).toBe(981 + 412 + 77)
    expect(stats.total_distance).toBe(8812443 + 16233118 + 158400)
    expect(stats.total_duration).toBe(2901887 + 2244187 + 197442)
    expect(stats.total_elevation_gain).toBe(70321 + 121874)
    expect(stats.recent?.run?.count).toBe(11)
    expect(stats.ytd?.swim?.distance).toBe(16400)
  })

  it('maps streams: renamed keys, run cadence doubled, absent watts, 1 Hz', () => {
    const activity = mapStravaActivity(detail)
    const streams = mapStravaStreams(fixture('activity_streams.json'), activity)
    expect(activityStreamsSchema.safeParse(streams).success).toBe(true)
    expect(streams).toMatchObject({ sample_rate: '1hz', original_size: 2746 })
    expect(streams.time).toHaveLength(2746)
    expect(streams.cadence?.slice(0, 3)).toEqual([0, 170, 168])
    expect(streams.velocity?.[0]).toBe(2.485)
    expect(streams.grade?.[0]).toBe(0.8)
    expect(streams.temperature?.[0]).toBe(4)
    expect(streams.moving?.[0]).toBe(false)
    expect(streams.watts).toBeUndefined()
    expect(streams.source_resolution).toBeUndefined()
  })

  it('notes downsampling and reads the array form', () => {
    const streams = mapStravaStreams(
      [
        { type: 'time', data: [0, 10], original_size: 20, resolution: 'low', series_type: 'time' },
        { type: 'watts', data: [100, 110], original_size: 20, resolution: 'low' },
      ],
      { id: '1', start_date: '2025-03-14T11:02:13Z', sport_type: 'ride' },
    )
    expect(streams).toMatchObject({
      source_resolution: 'low',
      original_size: 20,
      sample_rate: 'irregular',
      watts: [100, 110],
    })
  })

  it('maps every sport of the table and falls back to other', () => {
    expect(mapStravaSport('MountainBikeRide')).toBe('mountain_bike')
    expect(mapStravaSport('EMountainBikeRide')).toBe('mountain_bike')
    expect(mapStravaSport('NordicSki')).toBe('cross_country_skiing')
    expect(mapStravaSport('VirtualRow')).toBe('rowing')
    expect(mapStravaSport('StairStepper')).toBe('workout')
    expect(mapStravaSport('Wheelchair')).toBe('other')
    expect(mapStravaSport('toString')).toBe('other')
    expect(
      mapStravaActivity({ id: 1, type: 'Hike', start_date: '2025-01-01T00:00:00Z' }).sport_type,
    ).toBe('hike')
  })
})

describe('through the provider and the fake', () => {
  it('gets the detailed run with zones, and its streams with the key_by_type request', async () => {
    const { fake, provider } = await setUp()
    const activity = await provider.getActivity('13876543210', { details: true })
    expect(activity.heart_rate_zones).toHaveLength(5)
    expect(activity.calories).toBeGreaterThan(0)
    const streams = await provider.getActivityStreams('13876543210', { keys: ['heartrate'] })
    expect(streams.heartrate).toHaveLength(2746)
    expect(streams.latlng).toBeUndefined()
    const request = fake.requestsTo('/api/v3/activities/13876543210/streams')[0]
    expect(request?.query.get('keys')).toBe('time,heartrate')
    expect(request?.query.get('key_by_type')).toBe('true')
  })

  it('gets stats for the authenticated athlete id and the athlete zones', async () => {
    const { fake, provider } = await setUp()
    expect((await provider.getStats()).total_activities).toBe(1470)
    expect(fake.requestsTo('/api/v3/athletes/48213977/stats')).toHaveLength(1)
    expect((await provider.getAthleteZones()).power).toHaveLength(7)
  })
})
