import type { Encodable, Mesg } from '@garmin/fitsdk'
import { Encoder } from '@garmin/fitsdk'

// FIT global message numbers (FIT profile): file_id, record, lap, session, activity.
const mesgNum = { fileId: 0, record: 20, lap: 19, session: 18, activity: 34 } as const

/** One synthetic 1 Hz activity, shared by the FIT and GPX generators. */
export interface SyntheticTrack {
  readonly startMs: number
  readonly seconds: number
  /** `running` or `cycling` (FIT names). */
  readonly sport: 'running' | 'cycling'
  readonly subSport?: string
  /** Local offset of the recording device, seconds. */
  readonly utcOffsetSeconds?: number
}

/** One point of a synthetic track in SI units. */
export interface TrackPoint {
  readonly timeMs: number
  readonly latitudeDegrees: number
  readonly longitudeDegrees: number
  readonly altitudeMeters: number
  readonly distanceMeters: number
  readonly speedMetersPerSecond: number
  readonly heartRateBpm: number
  /** One-foot cadence for running (as FIT stores it), rpm for cycling. */
  readonly cadence: number
  readonly powerWatts: number
  readonly temperatureCelsius: number
}

const metersPerDegreeLatitude = 111_195

/** Returns the points of a track heading north at a steady-ish speed over a rolling profile. */
export function trackPoints(track: SyntheticTrack): TrackPoint[] {
  const points: TrackPoint[] = []
  const baseSpeed = track.sport === 'running' ? 3 : 8
  let distance = 0
  for (let second = 0; second < track.seconds; second += 1) {
    const speed = baseSpeed + 0.3 * Math.sin(second / 60)
    if (second > 0) distance += speed
    points.push({
      timeMs: track.startMs + second * 1000,
      latitudeDegrees: 45.5 + distance / metersPerDegreeLatitude,
      longitudeDegrees: -73.6,
      altitudeMeters: 100 + 20 * Math.sin(second / 300),
      distanceMeters: distance,
      speedMetersPerSecond: speed,
      heartRateBpm: 140 + Math.round(10 * Math.sin(second / 120)),
      cadence: track.sport === 'running' ? 85 : 90,
      powerWatts: track.sport === 'running' ? 250 : 200 + Math.round(20 * Math.sin(second / 90)),
      temperatureCelsius: 18,
    })
  }
  return points
}

const toSemicircles = (degrees: number): number => Math.round((degrees * 2 ** 31) / 180)

/** Encodes a FIT activity file (file_id, records, lap, session, activity) with the Garmin encoder. */
export function encodeFit(track: SyntheticTrack): Uint8Array {
  return encodeMultisportFit([track])
}

/** Encodes one FIT file with one session (and lap) per track, tracks in time order. */
export function encodeMultisportFit(tracks: readonly SyntheticTrack[]): Uint8Array {
  const encoder = new Encoder()
  // The encoder's message types are keyed by name; plain objects keep the generator short.
  const write = (mesg: { readonly mesgNum: number } & Record<string, unknown>): void => {
    encoder.writeMesg(mesg as Encodable<Mesg>)
  }
  const first = tracks[0] as SyntheticTrack
  const lastTrack = tracks.at(-1) as SyntheticTrack
  write({
    mesgNum: mesgNum.fileId,
    type: 'activity',
    manufacturer: 'garmin',
    product: 1,
    timeCreated: new Date(first.startMs),
    serialNumber: 1234,
  })
  for (const track of tracks) {
    for (const point of trackPoints(track)) {
      write({
        mesgNum: mesgNum.record,
        timestamp: new Date(point.timeMs),
        positionLat: toSemicircles(point.latitudeDegrees),
        positionLong: toSemicircles(point.longitudeDegrees),
        distance: point.distanceMeters,
        enhancedAltitude: point.altitudeMeters,
        enhancedSpeed: point.speedMetersPerSecond,
        heartRate: point.heartRateBpm,
        cadence: point.cadence,
        power: point.powerWatts,
        temperature: point.temperatureCelsius,
      })
    }
  }
  tracks.forEach((track, index) => {
    const elapsedSeconds = track.seconds - 1
    const last = trackPoints(track).at(-1) as TrackPoint
    const summary = {
      timestamp: new Date(track.startMs + elapsedSeconds * 1000),
      startTime: new Date(track.startMs),
      totalElapsedTime: elapsedSeconds,
      totalTimerTime: elapsedSeconds,
      totalDistance: last.distanceMeters,
      sport: track.sport,
      subSport: track.subSport ?? 'generic',
      avgHeartRate: 140,
      maxHeartRate: 150,
      avgCadence: 85,
      avgPower: 210,
      maxPower: 260,
      totalCalories: 600,
      totalWork: 1_500_000,
      totalAscent: 42,
      totalDescent: 40,
    }
    write({ mesgNum: mesgNum.lap, ...summary, event: 'lap', eventType: 'stop' })
    write({
      mesgNum: mesgNum.session,
      ...summary,
      event: 'session',
      eventType: 'stop',
      firstLapIndex: index,
      numLaps: 1,
    })
  })
  const end = new Date(lastTrack.startMs + (lastTrack.seconds - 1) * 1000)
  write({
    mesgNum: mesgNum.activity,
    timestamp: end,
    localTimestamp: Math.round(end.getTime() / 1000) - 631_065_600 + (first.utcOffsetSeconds ?? 0),
    numSessions: tracks.length,
    type: 'manual',
    event: 'activity',
    eventType: 'stop',
  })
  return encoder.close()
}

/** Writes a GPX 1.1 track with Garmin TrackPointExtension heart rate, cadence and temperature. */
export function encodeGpx(track: SyntheticTrack, name = 'Generated track'): string {
  const points = trackPoints(track)
  const rows = points.map(
    (point) =>
      `<trkpt lat="${point.latitudeDegrees.toFixed(7)}" lon="${point.longitudeDegrees.toFixed(7)}"><ele>${point.altitudeMeters.toFixed(1)}</ele><time>${new Date(point.timeMs).toISOString()}</time><extensions><power>${point.powerWatts}</power><gpxtpx:TrackPointExtension><gpxtpx:hr>${point.heartRateBpm}</gpxtpx:hr><gpxtpx:cad>${point.cadence}</gpxtpx:cad></gpxtpx:TrackPointExtension></extensions></trkpt>`,
  )
  return `<?xml version="1.0" encoding="UTF-8"?>
<gpx version="1.1" creator="pierre tests" xmlns="http://www.topografix.com/GPX/1/1" xmlns:gpxtpx="http://www.garmin.com/xmlschemas/TrackPointExtension/v1">
<trk><name>${name}</name><type>${track.sport}</type><trkseg>
${rows.join('\n')}
</trkseg></trk></gpx>
`
}
