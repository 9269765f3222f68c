import type { Lap } from '@pierre/providers-core'
import type { Sample } from './internal/build.js'
import { buildParsedActivity, offsetOfTimestamp, toIsoInstant } from './internal/build.js'
import { contentId, stemOf } from './internal/hash.js'
import { toSportDisplayName, toSportFromText } from './internal/sport.js'
import type { XmlNode } from './internal/xml.js'
import {
  child,
  children,
  epochMsOf,
  noData,
  notFormat,
  number,
  parseXml,
  requireText,
  text,
} from './internal/xml.js'
import type { ParsedActivity, ParseOptions } from './types.js'

const int = (value: number | undefined, min: number, max: number): number | null =>
  value === undefined || value < min || value > max ? null : Math.round(value)

function toSample(point: XmlNode): Sample | undefined {
  const timeMs = epochMsOf(text(point, 'Time'))
  if (timeMs === undefined) return undefined
  const position = child(point, 'Position')
  const extension = child(child(point, 'Extensions'), 'TPX')
  return {
    timeMs,
    latitudeDegrees: number(position, 'LatitudeDegrees'),
    longitudeDegrees: number(position, 'LongitudeDegrees'),
    altitudeMeters: number(point, 'AltitudeMeters'),
    distanceMeters: number(point, 'DistanceMeters'),
    heartRateBpm: number(child(point, 'HeartRateBpm'), 'Value'),
    cadence: number(extension, 'RunCadence') ?? number(point, 'Cadence'),
    speedMetersPerSecond: number(extension, 'Speed'),
    powerWatts: number(extension, 'Watts'),
  }
}

function toLap(lap: XmlNode, index: number): Lap | undefined {
  const startMs = epochMsOf(text(lap, '@_StartTime'))
  const seconds = number(lap, 'TotalTimeSeconds')
  if (startMs === undefined || seconds === undefined || seconds < 0) return undefined
  const distance = number(lap, 'DistanceMeters')
  const maxSpeed = number(lap, 'MaximumSpeed')
  return {
    index,
    start_date: toIsoInstant(startMs),
    duration_seconds: Math.round(seconds),
    distance_meters: distance !== undefined && distance >= 0 ? distance : null,
    average_speed:
      distance !== undefined && distance >= 0 && seconds > 0 ? distance / seconds : null,
    max_speed: maxSpeed !== undefined && maxSpeed >= 0 ? maxSpeed : null,
    average_heart_rate: int(number(child(lap, 'AverageHeartRateBpm'), 'Value'), 20, 300),
    max_heart_rate: int(number(child(lap, 'MaximumHeartRateBpm'), 'Value'), 20, 300),
    average_cadence: int(number(lap, 'Cadence'), 0, 1000),
  }
}

/**
 * Parses a Training Center Database (TCX v2) file into one normalized activity per `Activity`, with
 * its laps and as-recorded trackpoint streams. `RunCadence` counts one foot and is doubled; the
 * lap totals (timer time, distance, calories) are the recorded summary.
 *
 * @throws ProviderError `invalid_data` (`details.reason`: `unsupported`, `corrupt`, `no_data`,
 *   `invalid_values`) when the text is not a TCX activity with a start time.
 */
export function parseTcx(content: string, options: ParseOptions = {}): readonly ParsedActivity[] {
  const source = requireText(content)
  const root = child(parseXml(source, 'tcx'), 'TrainingCenterDatabase')
  if (root === undefined) throw notFormat('tcx', 'TrainingCenterDatabase')
  const hash = contentId(source)
  const activities = children(child(root, 'Activities'), 'Activity')
  if (activities.length === 0) throw noData('tcx', 'activity')
  return activities.map((activity, index) => {
    const laps = children(activity, 'Lap')
    const points = laps.flatMap((lap) =>
      children(lap, 'Track').flatMap((track) => children(track, 'Trackpoint')),
    )
    const samples = points.map(toSample).filter((sample): sample is Sample => sample !== undefined)
    const sportText = text(activity, '@_Sport')
    const sport = toSportFromText(sportText) ?? 'other'
    const startText = text(activity, 'Id') ?? text(laps[0], '@_StartTime')
    const startMs = epochMsOf(startText)
    if (startMs === undefined && samples.length === 0) throw noData('tcx', 'start time')
    const sum = (name: string): number | undefined => {
      const values = laps.map((lap) => number(lap, name)).filter((value) => value !== undefined)
      return values.length === 0 ? undefined : values.reduce((total, value) => total + value, 0)
    }
    const timerSeconds = sum('TotalTimeSeconds')
    const distance = sum('DistanceMeters')
    const calories = sum('Calories')
    const hasRunCadence = points.some(
      (point) => text(child(child(point, 'Extensions'), 'TPX'), 'RunCadence') !== undefined,
    )
    return buildParsedActivity({
      id: activities.length === 1 ? hash : `${hash}-${index + 1}`,
      format: 'tcx',
      name: (stemOf(options.fileName) ?? toSportDisplayName(sport)).slice(0, 200),
      sport,
      sportDetail: sportText ?? null,
      startMs,
      utcOffsetSeconds: startText === undefined ? undefined : offsetOfTimestamp(startText),
      samples,
      cadencePerLeg: hasRunCadence ? true : undefined,
      laps: laps.map(toLap).filter((lap): lap is Lap => lap !== undefined),
      recorded: {
        duration_seconds:
          samples.length === 0 && timerSeconds !== undefined ? Math.round(timerSeconds) : undefined,
        moving_time_seconds: timerSeconds === undefined ? undefined : Math.round(timerSeconds),
        distance_meters: distance,
        calories: calories === undefined ? undefined : Math.round(calories),
        device_name: text(child(activity, 'Creator'), 'Name')?.slice(0, 200),
      },
    })
  })
}
