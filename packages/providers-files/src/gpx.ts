import type { Sample } from './internal/build.js'
import { buildParsedActivity, haversineMeters, offsetOfTimestamp } from './internal/build.js'
import { contentId, stemOf } from './internal/hash.js'
import { inferSportFromSpeed, toSportDisplayName, toSportFromText } from './internal/sport.js'
import {
  child,
  children,
  epochMsOf,
  findNumber,
  noData,
  notFormat,
  number,
  parseXml,
  requireText,
  text,
} from './internal/xml.js'
import type { ParsedActivity, ParseOptions } from './types.js'

function toSample(point: Readonly<Record<string, unknown>>): Sample | undefined {
  const timeMs = epochMsOf(text(point, 'time'))
  if (timeMs === undefined) return undefined
  const extensions = child(point, 'extensions')
  return {
    timeMs,
    latitudeDegrees: number(point, '@_lat'),
    longitudeDegrees: number(point, '@_lon'),
    altitudeMeters: number(point, 'ele'),
    heartRateBpm: findNumber(extensions, ['hr']),
    cadence: findNumber(extensions, ['cad', 'cadence']),
    powerWatts: findNumber(extensions, ['power', 'PowerInWatts']),
    temperatureCelsius: findNumber(extensions, ['atemp', 'temp']),
    speedMetersPerSecond: findNumber(extensions, ['speed']),
  }
}

function pointSpeeds(samples: readonly Sample[]): (number | null)[] {
  const speeds: (number | null)[] = []
  for (let index = 1; index < samples.length; index += 1) {
    const from = samples[index - 1] as Sample
    const to = samples[index] as Sample
    const seconds = (to.timeMs - from.timeMs) / 1000
    if (
      seconds <= 0 ||
      from.latitudeDegrees === undefined ||
      from.longitudeDegrees === undefined ||
      to.latitudeDegrees === undefined ||
      to.longitudeDegrees === undefined
    ) {
      speeds.push(null)
      continue
    }
    const meters = haversineMeters(
      [from.latitudeDegrees, from.longitudeDegrees],
      [to.latitudeDegrees, to.longitudeDegrees],
    )
    speeds.push(meters / seconds)
  }
  return speeds
}

/**
 * Parses a GPX 1.1 file into one normalized activity per track that has timed points. Distance is
 * the cumulative haversine distance, speed a centred 5 s window over it; heart rate, cadence and
 * temperature come from Garmin's `TrackPointExtension`, power from `<power>` or `PowerInWatts`. The
 * sport comes from `trk/type`, else from the median speed (`sport_type_detail: "inferred"`).
 *
 * @throws ProviderError `invalid_data` (`details.reason`: `unsupported`, `corrupt`, `no_data`,
 *   `invalid_values`) when the text is not a GPX track with timed points.
 */
export function parseGpx(content: string, options: ParseOptions = {}): readonly ParsedActivity[] {
  const source = requireText(content)
  const root = child(parseXml(source, 'gpx'), 'gpx')
  if (root === undefined) throw notFormat('gpx', 'gpx')
  const hash = contentId(source)
  const tracks = children(root, 'trk')
    .map((track) => {
      const points = children(track, 'trkseg').flatMap((segment) => children(segment, 'trkpt'))
      const samples = points
        .map(toSample)
        .filter((sample): sample is Sample => sample !== undefined)
      const firstTime = points.map((point) => text(point, 'time')).find((time) => time)
      return { track, samples, firstTime }
    })
    .filter((track) => track.samples.length > 0)
  if (tracks.length === 0) throw noData('gpx', 'track with timed points')
  return tracks.map(({ track, samples, firstTime }, index) => {
    const type = text(track, 'type')
    const named = toSportFromText(type)
    const sport = named ?? inferSportFromSpeed(pointSpeeds(samples))
    const title = text(track, 'name')?.trim() || text(child(root, 'metadata'), 'name')?.trim()
    return buildParsedActivity({
      id: tracks.length === 1 ? hash : `${hash}-${index + 1}`,
      format: 'gpx',
      name: (title || stemOf(options.fileName) || toSportDisplayName(sport)).slice(0, 200),
      sport,
      sportDetail: named === undefined ? 'inferred' : (type ?? null),
      utcOffsetSeconds: firstTime === undefined ? undefined : offsetOfTimestamp(firstTime),
      samples,
      recorded: { device_name: text(root, '@_creator')?.slice(0, 200) },
    })
  })
}
