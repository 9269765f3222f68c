import { Decoder, Stream } from '@garmin/fitsdk'
import type { Lap, SportType } from '@pierre/providers-core'
import { normalizeRunCadence, ProviderError } from '@pierre/providers-core'
import type { Sample } from './internal/build.js'
import { buildParsedActivity, providerName, toIsoInstant } from './internal/build.js'
import { contentId, stemOf } from './internal/hash.js'
import { toSportDisplayName, toSportFromFit } from './internal/sport.js'
import type { ParsedActivity, ParseOptions } from './types.js'

type FitMessage = Readonly<Record<string, unknown>>

const semicirclesToDegrees = 180 / 2 ** 31
// Seconds between the Unix epoch and the FIT epoch (1989-12-31T00:00:00Z).
const fitEpochSeconds = 631_065_600

const num = (value: unknown): number | undefined =>
  typeof value === 'number' && Number.isFinite(value) ? value : undefined

const epochMsOf = (value: unknown): number | undefined => {
  if (value instanceof Date) return Number.isFinite(value.getTime()) ? value.getTime() : undefined
  const seconds = num(value)
  return seconds === undefined ? undefined : (seconds + fitEpochSeconds) * 1000
}

const intIn = (value: unknown, min: number, max: number): number | undefined => {
  const number = num(value)
  return number === undefined || number < min || number > max ? undefined : Math.round(number)
}

const nonNegative = (value: unknown): number | undefined => {
  const number = num(value)
  return number === undefined || number < 0 ? undefined : number
}

function degrees(value: unknown): number | undefined {
  const semicircles = num(value)
  return semicircles === undefined ? undefined : semicircles * semicirclesToDegrees
}

function fail(reason: string, message: string, cause?: unknown): ProviderError {
  return new ProviderError('invalid_data', message, {
    provider: providerName,
    details: { format: 'fit', reason },
    ...(cause === undefined ? {} : { cause }),
  })
}

function withFractional(whole: unknown, fraction: unknown): number | undefined {
  const base = num(whole)
  return base === undefined ? undefined : base + (num(fraction) ?? 0)
}

function toSample(record: FitMessage): Sample | undefined {
  const timeMs = epochMsOf(record.timestamp)
  if (timeMs === undefined) return undefined
  return {
    timeMs,
    latitudeDegrees: degrees(record.positionLat),
    longitudeDegrees: degrees(record.positionLong),
    altitudeMeters: num(record.enhancedAltitude) ?? num(record.altitude),
    distanceMeters: num(record.distance),
    speedMetersPerSecond: num(record.enhancedSpeed) ?? num(record.speed),
    heartRateBpm: num(record.heartRate),
    cadence: withFractional(record.cadence, record.fractionalCadence),
    powerWatts: num(record.power),
    temperatureCelsius: num(record.temperature),
  }
}

function toLap(lap: FitMessage, index: number, sport: SportType): Lap | undefined {
  const startMs = epochMsOf(lap.startTime)
  const duration = nonNegative(lap.totalElapsedTime)
  if (startMs === undefined || duration === undefined) return undefined
  const cadence = withFractional(lap.avgCadence, lap.avgFractionalCadence)
  return {
    index,
    start_date: toIsoInstant(startMs),
    duration_seconds: Math.round(duration),
    moving_time_seconds: intIn(lap.totalTimerTime, 0, 1e9) ?? null,
    distance_meters: nonNegative(lap.totalDistance) ?? null,
    average_speed: nonNegative(lap.enhancedAvgSpeed) ?? nonNegative(lap.avgSpeed) ?? null,
    max_speed: nonNegative(lap.enhancedMaxSpeed) ?? nonNegative(lap.maxSpeed) ?? null,
    average_heart_rate: intIn(lap.avgHeartRate, 20, 300) ?? null,
    max_heart_rate: intIn(lap.maxHeartRate, 20, 300) ?? null,
    average_cadence:
      cadence === undefined
        ? null
        : normalizeRunCadence(cadence, { sportType: sport, perLeg: true }),
    average_power: intIn(lap.avgPower, 0, 5000) ?? null,
    elevation_gain: nonNegative(lap.totalAscent) ?? null,
  }
}

function decode(bytes: Uint8Array): Record<string, FitMessage[] | undefined> {
  let decoder: Decoder
  try {
    const stream = Stream.fromByteArray(bytes)
    if (!Decoder.isFIT(stream)) throw fail('unsupported', 'the content is not a FIT file')
    decoder = new Decoder(Stream.fromByteArray(bytes))
    if (!decoder.checkIntegrity()) {
      throw fail('corrupt', 'the FIT file fails its integrity check (header or CRC)')
    }
  } catch (error) {
    if (error instanceof ProviderError) throw error
    throw fail('corrupt', 'the FIT file header cannot be read', error)
  }
  let result: ReturnType<Decoder['read']>
  try {
    result = new Decoder(Stream.fromByteArray(bytes)).read({
      applyScaleAndOffset: true,
      expandSubFields: true,
      expandComponents: true,
      convertTypesToStrings: true,
      convertDateTimesToDates: true,
      mergeHeartRates: true,
    })
  } catch (error) {
    throw fail('corrupt', 'the FIT file cannot be decoded', error)
  }
  if (result.errors.length > 0) {
    throw fail(
      'corrupt',
      `the FIT file cannot be decoded: ${String(result.errors[0]?.message).slice(0, 200)}`,
      result.errors[0],
    )
  }
  return result.messages as unknown as Record<string, FitMessage[] | undefined>
}

/**
 * Parses a FIT activity file into one normalized activity per session (multisport files give
 * several) with as-recorded streams. Positions are converted from semicircles to degrees, running
 * cadence is doubled to steps per minute, work goes from J to kJ, and the UTC offset comes from
 * the `activity` message's local timestamp when present.
 *
 * @param bytes - the file content (not gzipped).
 * @throws ProviderError `invalid_data` (`details.reason`: `unsupported`, `corrupt`, `no_data`,
 *   `invalid_values`) when the bytes are not a readable FIT activity.
 * @example
 * ```ts
 * const [run] = parseFit(await readFile('morning.fit'), { fileName: 'morning.fit' })
 * ```
 */
export function parseFit(bytes: Uint8Array, options: ParseOptions = {}): readonly ParsedActivity[] {
  if (!(bytes instanceof Uint8Array)) {
    throw new ProviderError('invalid_argument', 'bytes must be a Uint8Array', {
      provider: providerName,
    })
  }
  const messages = decode(bytes)
  const hash = contentId(bytes)
  const records = (messages.recordMesgs ?? [])
    .map(toSample)
    .filter((sample): sample is Sample => sample !== undefined)
  const sessions = messages.sessionMesgs ?? []
  const lapMessages = messages.lapMesgs ?? []
  const activityMessage = messages.activityMesgs?.[0]
  const deviceName = deviceNameOf(messages)
  let utcOffsetSeconds: number | undefined
  const local = num(activityMessage?.localTimestamp)
  const stamp = epochMsOf(activityMessage?.timestamp)
  if (local !== undefined && stamp !== undefined) {
    utcOffsetSeconds = Math.round((local + fitEpochSeconds - stamp / 1000) / 900) * 900
  }

  if (sessions.length === 0) {
    if (records.length === 0) throw fail('no_data', 'the FIT file has no session and no records')
    const sportMessage = messages.sportMesgs?.[0]
    const sport = toSportFromFit(sportMessage?.sport, sportMessage?.subSport)
    return [
      buildParsedActivity({
        id: hash,
        format: 'fit',
        name: stemOf(options.fileName) ?? toSportDisplayName(sport),
        sport,
        sportDetail: typeof sportMessage?.sport === 'string' ? sportMessage.sport : null,
        samples: records,
        utcOffsetSeconds,
        cadencePerLeg: true,
        recorded: deviceName === undefined ? undefined : { device_name: deviceName },
      }),
    ]
  }

  return sessions.map((session, sessionIndex) => {
    const sport = toSportFromFit(session.sport, session.subSport)
    const startMs = epochMsOf(session.startTime) ?? records[0]?.timeMs
    const elapsed = nonNegative(session.totalElapsedTime)
    const endMs =
      startMs !== undefined && elapsed !== undefined
        ? startMs + elapsed * 1000
        : Number.POSITIVE_INFINITY
    const inSession = (timeMs: number): boolean =>
      sessions.length === 1 || (startMs !== undefined && timeMs >= startMs && timeMs <= endMs)
    const laps = lapMessages
      .filter((lap) => {
        const lapStart = epochMsOf(lap.startTime)
        return lapStart !== undefined && inSession(lapStart)
      })
      .map((lap, index) => toLap(lap, index, sport))
      .filter((lap): lap is Lap => lap !== undefined)
    const cadence = withFractional(session.avgCadence, session.avgFractionalCadence)
    const maxCadence = num(session.maxCadence)
    const work = nonNegative(session.totalWork)
    const subSport = typeof session.subSport === 'string' ? session.subSport : undefined
    return buildParsedActivity({
      id: sessions.length === 1 ? hash : `${hash}-${sessionIndex + 1}`,
      format: 'fit',
      name: stemOf(options.fileName) ?? toSportDisplayName(sport),
      sport,
      sportDetail:
        typeof session.sport === 'string'
          ? `${session.sport}${subSport && subSport !== 'generic' ? `/${subSport}` : ''}`
          : null,
      startMs,
      utcOffsetSeconds,
      samples: records.filter((sample) => inSession(sample.timeMs)),
      cadencePerLeg: true,
      laps,
      recorded: {
        duration_seconds: intIn(session.totalElapsedTime, 0, 1e9),
        moving_time_seconds: intIn(session.totalTimerTime, 0, 1e9),
        distance_meters: nonNegative(session.totalDistance),
        elevation_gain: nonNegative(session.totalAscent),
        elevation_loss: nonNegative(session.totalDescent),
        average_speed: nonNegative(session.enhancedAvgSpeed) ?? nonNegative(session.avgSpeed),
        max_speed: nonNegative(session.enhancedMaxSpeed) ?? nonNegative(session.maxSpeed),
        average_heart_rate: intIn(session.avgHeartRate, 20, 300),
        max_heart_rate: intIn(session.maxHeartRate, 20, 300),
        average_cadence:
          cadence === undefined
            ? undefined
            : (normalizeRunCadence(cadence, { sportType: sport, perLeg: true }) ?? undefined),
        max_cadence:
          maxCadence === undefined
            ? undefined
            : (normalizeRunCadence(maxCadence, { sportType: sport, perLeg: true }) ?? undefined),
        average_power: intIn(session.avgPower, 0, 5000),
        max_power: intIn(session.maxPower, 0, 5000),
        normalized_power: intIn(session.normalizedPower, 0, 5000),
        calories: intIn(session.totalCalories, 0, 1e6),
        kilojoules: work === undefined ? undefined : work / 1000,
        training_stress_score: nonNegative(session.trainingStressScore),
        intensity_factor: nonNegative(session.intensityFactor),
        ftp: intIn(session.thresholdPower, 1, 5000),
        temperature: num(session.avgTemperature),
        ground_contact_time: nonNegative(session.avgStanceTime),
        vertical_oscillation: mmTo(session.avgVerticalOscillation, 10),
        stride_length: mmTo(session.avgStepLength, 1000),
        device_name: deviceName,
      },
    })
  })
}

const mmTo = (value: unknown, divisor: number): number | undefined => {
  const millimetres = nonNegative(value)
  return millimetres === undefined ? undefined : millimetres / divisor
}

function deviceNameOf(messages: Record<string, FitMessage[] | undefined>): string | undefined {
  const fileId = messages.fileIdMesgs?.[0]
  const product = fileId?.productName ?? fileId?.garminProduct ?? fileId?.product
  const manufacturer = fileId?.manufacturer
  const parts = [manufacturer, product]
    .filter((part) => typeof part === 'string' || typeof part === 'number')
    .map(String)
  return parts.length > 0 ? parts.join(' ').slice(0, 200) : undefined
}
