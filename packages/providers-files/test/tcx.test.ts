import { readFileSync } from 'node:fs'
import { hasProviderErrorCode } from '@pierre/providers-core'
import { describe, expect, it } from 'vitest'
import { parseTcx } from '../src/index.js'

const fixture = (name: string): string =>
  readFileSync(new URL(`./fixtures/${name}`, import.meta.url), 'utf8')

describe('parseTcx', () => {
  it('maps evening-ride.tcx with laps, power and the local time (fixture)', () => {
    const [parsed] = parseTcx(fixture('evening-ride.tcx'), { fileName: 'evening-ride.tcx' })
    expect(parsed?.activity).toMatchObject({
      name: 'evening-ride',
      sport_type: 'ride',
      sport_type_detail: 'Biking',
      start_date: '2025-03-12T22:30:00Z',
      start_date_local: '2025-03-12T18:30:00',
      utc_offset_seconds: -14_400,
      duration_seconds: 4,
      moving_time_seconds: 4,
      distance_meters: 34,
      calories: 3,
      average_heart_rate: 133,
      max_heart_rate: 136,
      average_power: 220,
      max_power: 260,
      average_cadence: 92,
      max_speed: 9.5,
      elevation_gain: 2,
      elevation_loss: 3,
      device_name: 'Edge 540',
    })
    expect(parsed?.activity.laps).toMatchObject([
      {
        index: 0,
        duration_seconds: 2,
        distance_meters: 16,
        average_speed: 8,
        max_speed: 8.5,
        average_heart_rate: 131,
        average_cadence: 90,
      },
      { index: 1, start_date: '2025-03-12T22:30:03Z', distance_meters: 18, max_heart_rate: 136 },
    ])
    expect(parsed?.streams.watts).toEqual([180, 200, 220, 240, 260])
    expect(parsed?.streams.velocity).toEqual([7.5, 8, 8.5, 9, 9.5])
    expect(parsed?.streams.latlng?.[4]).toEqual([43.650306, -79.38])
  })

  it('doubles one-foot RunCadence to steps per minute (fixture track-run.tcx)', () => {
    const [parsed] = parseTcx(fixture('track-run.tcx'))
    expect(parsed?.activity.sport_type).toBe('run')
    expect(parsed?.streams.cadence).toEqual([172, 172, 174, 174])
    expect(parsed?.activity.distance_meters).toBe(10.5)
    expect(parsed?.streams.latlng).toBeUndefined()
  })

  it('reports a file without activities as no_data', () => {
    let caught: unknown
    try {
      parseTcx('<TrainingCenterDatabase><Activities/></TrainingCenterDatabase>')
    } catch (error) {
      caught = error
    }
    expect(hasProviderErrorCode(caught, 'invalid_data')).toBe(true)
  })
})
