import type { Activity, ActivityStreams } from '@pierre/providers-core'
import type { SyntheticProfile } from './athlete.js'
import { clamp, roundTo, toIsoInstant, toLocalDateTime } from './internal/calendar.js'
import type { PlannedSession } from './plan.js'
import { createSeededRandom } from './random.js'

/** The registry name of the synthetic provider. */
export const providerName = 'synthetic'

const earthRadiusMeters = 6_371_000
const gravity = 9.81
const degrees = 180 / Math.PI

/** Raw 1 Hz series of one session, before rounding into {@link ActivityStreams}. */
interface RawStreams {
  readonly length: number
  readonly distance: Float64Array
  readonly velocity: Float64Array
  readonly heartrate: Float64Array
  readonly cadence: Float64Array
  readonly moving: Uint8Array
  readonly watts?: Float64Array
  readonly altitude?: Float64Array
  readonly grade?: Float64Array
  readonly latitude?: Float64Array
  readonly longitude?: Float64Array
}

/** One activity as generated: its summary and its streams. */
export interface GeneratedActivity {
  readonly activity: Activity
  readonly streams: ActivityStreams
}

function terrain(session: PlannedSession, profile: SyntheticProfile, seedKey: string) {
  const random = createSeededRandom(`${seedKey}|terrain`)
  const speed =
    session.sport === 'run'
      ? profile.thresholdSpeedMetersPerSecond * 0.8
      : session.sport === 'ride'
        ? 8
        : 1
  const loopMeters = Math.max(
    3000,
    speed * session.plannedDurationSeconds * random.uniform(0.45, 1.05),
  )
  const waves = [1, 2, 3].map((harmonic) => ({
    harmonic: harmonic * random.integer(1, 3),
    amplitude: random.uniform(4, session.sport === 'ride' ? 45 : 20) / harmonic,
    phase: random.uniform(0, 2 * Math.PI),
  }))
  // Keep the steepest possible grade under 7 %.
  const steepest = waves.reduce(
    (sum, wave) => sum + (wave.amplitude * 2 * Math.PI * wave.harmonic) / loopMeters,
    0,
  )
  const scale = steepest > 0.07 ? 0.07 / steepest : 1
  const heading0 = random.uniform(0, 2 * Math.PI)
  const wiggle = random.uniform(0.2, 0.6)
  const wigglePhase = random.uniform(0, 2 * Math.PI)
  return {
    altitude: (distanceMeters: number): number => {
      let value = profile.home.baseAltitudeMeters
      for (const wave of waves) {
        value +=
          scale *
          wave.amplitude *
          Math.sin((2 * Math.PI * wave.harmonic * distanceMeters) / loopMeters + wave.phase)
      }
      return value
    },
    gradeFraction: (distanceMeters: number): number => {
      let slope = 0
      for (const wave of waves) {
        const k = (2 * Math.PI * wave.harmonic) / loopMeters
        slope += scale * wave.amplitude * k * Math.cos(k * distanceMeters + wave.phase)
      }
      return slope
    },
    // A closed loop: the heading turns once per loop, with a slow wiggle of three periods.
    heading: (distanceMeters: number): number => {
      const phase = (2 * Math.PI * distanceMeters) / loopMeters
      return heading0 + phase + wiggle * Math.sin(3 * phase + wigglePhase)
    },
  }
}

/** Generates the raw 1 Hz series of a planned session (`specs/providers.md` §7, "1 Hz streams"). */
function generateRaw(
  session: PlannedSession,
  profile: SyntheticProfile,
  seedKey: string,
): RawStreams {
  const random = createSeededRandom(seedKey)
  const length = session.plannedDurationSeconds + 1
  const outdoor = session.sport !== 'swim'
  const isRide = session.sport === 'ride'
  const distance = new Float64Array(length)
  const velocity = new Float64Array(length)
  const heartrate = new Float64Array(length)
  const cadence = new Float64Array(length)
  const moving = new Uint8Array(length)
  const watts = isRide ? new Float64Array(length) : undefined
  const altitude = outdoor ? new Float64Array(length) : undefined
  const grade = outdoor ? new Float64Array(length) : undefined
  const latitude = outdoor ? new Float64Array(length) : undefined
  const longitude = outdoor ? new Float64Array(length) : undefined
  const route = terrain(session, profile, seedKey)

  const rest = profile.restingHeartRate
  const reserve = profile.maxHeartRate - rest
  const tauRiseSeconds = random.uniform(25, 35)
  const tauFallSeconds = random.uniform(45, 70)
  const driftPerMinute = session.plannedDurationSeconds > 2400 ? random.uniform(0.05, 0.15) : 0
  const rideCadence = random.uniform(82, 92)
  const totalMass = profile.weightKg + 9
  const dragArea = random.uniform(0.28, 0.36)

  let segmentIndex = 0
  let segmentEndsAt = session.segments[0]?.durationSeconds ?? length
  let speed = 0
  let noise = 0
  let heartRate = rest + 0.25 * reserve
  let pauseLeft = 0
  let coastLeft = 0
  let meters = 0
  let lat = profile.home.latitude
  let lng = profile.home.longitude

  for (let second = 0; second < length; second += 1) {
    while (second >= segmentEndsAt && segmentIndex < session.segments.length - 1) {
      segmentIndex += 1
      segmentEndsAt += (session.segments[segmentIndex] as { durationSeconds: number })
        .durationSeconds
    }
    const segment = session.segments[segmentIndex] as PlannedSession['segments'][number]
    const slope = outdoor ? route.gradeFraction(meters) : 0
    const gradePercent = slope * 100
    noise = 0.85 * noise + 0.015 * Math.sqrt(1 - 0.85 * 0.85) * random.normal(0, 1)
    if (outdoor && pauseLeft === 0 && second > 60 && random.chance(1 / 1500)) {
      pauseLeft = random.integer(8, 40)
    }
    const paused = pauseLeft > 0 || segment.rest === true
    if (pauseLeft > 0) pauseLeft -= 1
    let load: number
    let power = 0
    let steps = 0
    if (paused) {
      speed = 0
      load = 0.3
    } else if (session.sport === 'run') {
      const gradeFactor = gradePercent > 0 ? 1 - 0.035 * gradePercent : 1 - 0.015 * gradePercent
      const target =
        profile.thresholdSpeedMetersPerSecond * segment.effortFraction * gradeFactor * (1 + noise)
      speed += (target - speed) * 0.3
      load = (speed / profile.thresholdSpeedMetersPerSecond) * (1 + 0.035 * gradePercent)
      steps = clamp(150 + 8.5 * speed + random.normal(0, 1.5), 150, 195)
    } else if (isRide) {
      if (coastLeft === 0 && gradePercent < -2.5 && random.chance(1 / 40))
        coastLeft = random.integer(5, 25)
      const coasting = coastLeft > 0
      if (coastLeft > 0) coastLeft -= 1
      power = coasting
        ? 0
        : Math.max(
            0,
            profile.ftp * segment.effortFraction * (1 + random.normal(0, 0.06)) * (1 + 2 * slope),
          )
      // Speed the power holds on this grade: P = v·m·g·(Crr + grade) + ½·ρ·CdA·v³ (Newton's method).
      let target = Math.max(speed, 4)
      for (let step = 0; step < 4; step += 1) {
        const resist = totalMass * gravity * (0.005 + slope)
        const f = target * resist + 0.6 * dragArea * target ** 3 - power
        const derivative = resist + 1.8 * dragArea * target * target
        target = derivative > 0.5 ? clamp(target - f / derivative, 0, 22) : target
      }
      speed += (target - speed) * 0.15
      load = (power === 0 ? 0.45 : power / profile.ftp) * 0.7 + segment.effortFraction * 0.3
      steps = coasting
        ? 0
        : clamp(rideCadence + 6 * (segment.effortFraction - 0.7) + random.normal(0, 2), 55, 120)
    } else {
      const target =
        profile.swimThresholdSpeedMetersPerSecond * segment.effortFraction * (1 + noise)
      speed += (target - speed) * 0.4
      load = speed / profile.swimThresholdSpeedMetersPerSecond - 0.08
      steps = clamp(22 + 12 * segment.effortFraction + random.normal(0, 1), 15, 45)
    }
    speed = Math.max(0, speed)
    if (second > 0) meters += speed

    // First-order heart-rate response to effort, with cardiac drift on long sessions.
    const reserveFraction = clamp(0.88 + (load - 1) * 0.75, 0.25, 1)
    const target = rest + reserveFraction * reserve + driftPerMinute * (second / 60)
    const tau = target > heartRate ? tauRiseSeconds : tauFallSeconds
    heartRate += (target - heartRate) * (1 - Math.exp(-1 / tau))
    heartrate[second] = clamp(heartRate + random.normal(0, 0.5), rest, profile.maxHeartRate)

    velocity[second] = speed
    distance[second] = meters
    cadence[second] = steps
    moving[second] = paused ? 0 : 1
    if (watts !== undefined) watts[second] = power
    if (outdoor && altitude && grade && latitude && longitude) {
      altitude[second] = route.altitude(meters)
      grade[second] = gradePercent
      if (second > 0 && speed > 0) {
        const heading = route.heading(meters)
        lat += (speed * Math.cos(heading) * degrees) / earthRadiusMeters
        lng += (speed * Math.sin(heading) * degrees) / (earthRadiusMeters * Math.cos(lat / degrees))
      }
      latitude[second] = lat
      longitude[second] = lng
    }
  }
  return {
    length,
    distance,
    velocity,
    heartrate,
    cadence,
    moving,
    ...(watts ? { watts } : {}),
    ...(altitude ? { altitude } : {}),
    ...(grade ? { grade } : {}),
    ...(latitude ? { latitude } : {}),
    ...(longitude ? { longitude } : {}),
  }
}

function toSeries(values: Float64Array, decimals: number): number[] {
  const series = new Array<number>(values.length)
  for (let index = 0; index < values.length; index += 1) {
    series[index] = roundTo(values[index] as number, decimals)
  }
  return series
}

/** Rounds raw series into the normalized {@link ActivityStreams}. */
function toStreams(session: PlannedSession, raw: RawStreams): ActivityStreams {
  const time = new Array<number>(raw.length)
  const moving = new Array<boolean>(raw.length)
  const latlng: [number, number][] | undefined = raw.latitude ? new Array(raw.length) : undefined
  for (let index = 0; index < raw.length; index += 1) {
    time[index] = index
    moving[index] = raw.moving[index] === 1
    if (latlng && raw.latitude && raw.longitude) {
      latlng[index] = [
        roundTo(raw.latitude[index] as number, 6),
        roundTo(raw.longitude[index] as number, 6),
      ]
    }
  }
  return {
    activity_id: session.id,
    provider: providerName,
    start_date: toIsoInstant(session.startEpochMs),
    sample_rate: '1hz',
    original_size: raw.length,
    source_resolution: 'raw',
    time,
    distance: toSeries(raw.distance, 1),
    ...(latlng ? { latlng } : {}),
    ...(raw.altitude ? { altitude: toSeries(raw.altitude, 1) } : {}),
    velocity: toSeries(raw.velocity, 3),
    heartrate: toSeries(raw.heartrate, 0),
    cadence: toSeries(raw.cadence, 0),
    ...(raw.watts ? { watts: toSeries(raw.watts, 0) } : {}),
    moving,
    ...(raw.grade ? { grade: toSeries(raw.grade, 1) } : {}),
  }
}

const sportTypeDetail = { run: 'Run', ride: 'Ride', swim: 'Swim' } as const

/**
 * Computes the summary from the rounded streams, so that anything recomputed from the streams
 * agrees with it: averages over moving samples, maxima, distance from the last sample, elevation
 * gain with 1 m hysteresis, NP/IF/TSS for rides (Coggan), hrTSS otherwise, and energy (rides
 * ≈ kJ, runs 1 kcal/kg/km, swims 7 MET).
 */
function summarize(
  session: PlannedSession,
  profile: SyntheticProfile,
  streams: ActivityStreams,
): Activity {
  const heart = streams.heartrate as number[]
  const speedSeries = streams.velocity as number[]
  const cadenceSeries = streams.cadence as number[]
  const movingSeries = streams.moving as boolean[]
  const wattsSeries = streams.watts as number[] | undefined
  const altitudeSeries = streams.altitude as number[] | undefined
  const length = streams.time.length
  let movingCount = 0
  let movingSeconds = 0
  let heartSum = 0
  let heartMax = 0
  let cadenceSum = 0
  let cadenceMax = 0
  let powerSum = 0
  let powerMax = 0
  let joules = 0
  let speedMax = 0
  for (let index = 0; index < length; index += 1) {
    const hr = heart[index] as number
    if (hr > heartMax) heartMax = hr
    const speed = speedSeries[index] as number
    if (speed > speedMax) speedMax = speed
    const power = wattsSeries?.[index] ?? 0
    if (power > powerMax) powerMax = power
    if (index > 0) joules += power
    if (!movingSeries[index]) continue
    movingCount += 1
    if (index > 0) movingSeconds += 1
    heartSum += hr
    const cadence = cadenceSeries[index] as number
    cadenceSum += cadence
    if (cadence > cadenceMax) cadenceMax = cadence
    powerSum += power
  }
  const distanceMeters = (streams.distance as number[])[length - 1] ?? 0
  const averageHeartRate = Math.round(heartSum / Math.max(1, movingCount))
  let elevationGain = 0
  let elevationLoss = 0
  if (altitudeSeries !== undefined) {
    let reference = altitudeSeries[0] as number
    for (const value of altitudeSeries) {
      if (value > reference + 1) {
        elevationGain += value - reference
        reference = value
      } else if (value < reference - 1) {
        elevationLoss += reference - value
        reference = value
      }
    }
  }
  const durationSeconds = length - 1
  let normalizedPower: number | undefined
  let tss: number
  let intensityFactor: number
  if (wattsSeries !== undefined) {
    // Coggan NP: 30 s rolling mean, fourth-power mean, fourth root.
    let window = 0
    let fourth = 0
    let count = 0
    for (let index = 0; index < length; index += 1) {
      window += wattsSeries[index] as number
      if (index >= 30) window -= wattsSeries[index - 30] as number
      if (index >= 29) {
        fourth += (window / 30) ** 4
        count += 1
      }
    }
    normalizedPower = Math.round((fourth / Math.max(1, count)) ** 0.25)
    intensityFactor = normalizedPower / profile.ftp
    tss = ((durationSeconds * normalizedPower * intensityFactor) / (profile.ftp * 3600)) * 100
  } else {
    intensityFactor = clamp(
      (averageHeartRate - profile.restingHeartRate) / (profile.lthr - profile.restingHeartRate),
      0,
      2,
    )
    tss = (movingSeconds / 3600) * intensityFactor ** 2 * 100
  }
  const kilojoules = joules / 1000
  const calories =
    session.sport === 'ride'
      ? kilojoules
      : session.sport === 'run'
        ? profile.weightKg * (distanceMeters / 1000)
        : 7 * profile.weightKg * (movingSeconds / 3600)
  const latlng = streams.latlng as [number, number][] | undefined
  const first = latlng?.[0]
  const last = latlng?.[length - 1]
  return {
    id: session.id,
    provider: providerName,
    name: session.name,
    sport_type: session.sport,
    sport_type_detail: `${sportTypeDetail[session.sport]}:${session.kind}`,
    start_date: toIsoInstant(session.startEpochMs),
    start_date_local: toLocalDateTime(session.startEpochMs, session.utcOffsetSeconds),
    utc_offset_seconds: session.utcOffsetSeconds,
    time_zone: profile.home.timeZone,
    duration_seconds: durationSeconds,
    moving_time_seconds: movingSeconds,
    distance_meters: distanceMeters,
    elevation_gain: altitudeSeries ? roundTo(elevationGain, 1) : 0,
    elevation_loss: altitudeSeries ? roundTo(elevationLoss, 1) : 0,
    average_speed: roundTo(distanceMeters / Math.max(1, movingSeconds), 3),
    max_speed: speedMax,
    average_heart_rate: averageHeartRate,
    max_heart_rate: heartMax,
    average_cadence: Math.round(cadenceSum / Math.max(1, movingCount)),
    max_cadence: cadenceMax,
    ...(wattsSeries !== undefined
      ? {
          average_power: Math.round(powerSum / Math.max(1, movingCount)),
          max_power: powerMax,
          normalized_power: normalizedPower ?? null,
          power_is_estimated: false,
          kilojoules: roundTo(kilojoules, 1),
          ftp: profile.ftp,
        }
      : {}),
    calories: Math.round(calories),
    ...(session.sport === 'run' ? { steps: Math.round(cadenceSum / 60) } : {}),
    training_stress_score: roundTo(tss, 1),
    intensity_factor: roundTo(intensityFactor, 3),
    ...(first && last
      ? {
          start_latitude: first[0],
          start_longitude: first[1],
          end_latitude: last[0],
          end_longitude: last[1],
        }
      : {}),
    city: profile.home.city,
    region: profile.home.region,
    country: profile.home.country,
    trainer: false,
    commute: false,
    manual: false,
    device_name: 'Pierre synthetic recorder',
    streams_available: true,
  }
}

/**
 * Generates one session's streams and its summary. The draw is keyed on the seed and the session
 * id only, so the result never depends on which activities were generated before.
 */
export function generateActivity(
  seed: string,
  profile: SyntheticProfile,
  session: PlannedSession,
): GeneratedActivity {
  const raw = generateRaw(session, profile, `${seed}|activity|${session.id}`)
  const streams = toStreams(session, raw)
  return { activity: summarize(session, profile, streams), streams }
}
