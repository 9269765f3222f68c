import { readFileSync } from 'node:fs'
import { hasProviderErrorCode } from '@pierre/providers-core'
import { describe, expect, it } from 'vitest'
import { parseGpx } from '../src/index.js'

const fixture = (name: string): string =>
  readFileSync(new URL(`./fixtures/${name}`, import.meta.url), 'utf8')

describe('parseGpx', () => {
  it('maps morning-run.gpx with Garmin extensions (fixture)', () => {
    const [parsed] = parseGpx(fixture('morning-run.gpx'))
    expect(parsed?.activity).toMatchObject({
      name: 'Morning run & coffee',
      sport_type: 'run',
      sport_type_detail: 'running',
      start_date: '2025-03-14T11:02:13Z',
      duration_seconds: 5,
      average_heart_rate: 130,
      max_heart_rate: 140,
      average_cadence: 175,
      elevation_gain: 4,
      elevation_loss: 2.5,
      temperature: 4.5,
      device_name: 'Handwritten fixture',
    })
    // 5 steps of 0.000027° latitude ≈ 3.002 m each (haversine, mean Earth radius).
    expect(parsed?.activity.distance_meters).toBeCloseTo(15.01, 1)
    expect(parsed?.activity.average_speed).toBeCloseTo(3.0, 1)
    const streams = parsed?.streams
    expect(streams?.time).toEqual([0, 1, 2, 3, 4, 5])
    expect(streams?.heartrate).toEqual([120, 124, 128, 132, 136, 140])
    expect(streams?.cadence).toEqual([168, 172, 176, 176, 180, 180])
    expect(streams?.latlng?.[1]).toEqual([45.500027, -73.6])
    expect(streams?.velocity?.[3]).toBeCloseTo(3.0, 1)
    expect(streams?.watts).toBeUndefined()
  })

  it('infers the sport from speed and keeps the local offset (fixture untyped-walk.gpx)', () => {
    const [parsed] = parseGpx(fixture('untyped-walk.gpx'), { fileName: 'paris/untyped-walk.gpx' })
    expect(parsed?.activity).toMatchObject({
      name: 'untyped-walk',
      sport_type: 'walk',
      sport_type_detail: 'inferred',
      start_date: '2025-03-10T07:00:00Z',
      start_date_local: '2025-03-10T08:00:00',
      utc_offset_seconds: 3600,
    })
  })

  it('does not expand DOCTYPE entities', () => {
    const text = fixture('morning-run.gpx')
      .replace('<gpx ', '<!DOCTYPE gpx [<!ENTITY boom "BOOM">]>\n<gpx ')
      .replace('Morning run &amp; coffee', '&boom;')
    const [parsed] = parseGpx(text)
    expect(parsed?.activity.name).toBe('&boom;')
  })

  it.for([
    { name: 'broken XML', text: '<gpx><trk><trkseg></gpx>', reason: 'corrupt' },
    { name: 'another root', text: '<kml><Document/></kml>', reason: 'unsupported' },
    {
      name: 'no timed points',
      text: '<gpx><trk><trkseg><trkpt lat="1" lon="2"/></trkseg></trk></gpx>',
      reason: 'no_data',
    },
  ])('reports $name as $reason', ({ text, reason }) => {
    let caught: unknown
    try {
      parseGpx(text)
    } catch (error) {
      caught = error
    }
    expect(hasProviderErrorCode(caught, 'invalid_data')).toBe(true)
    expect((caught as { details: { reason: string } }).details.reason).toBe(reason)
  })
})
