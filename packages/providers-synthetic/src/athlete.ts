import type { DaylightRule } from './internal/calendar.js'
import { roundTo } from './internal/calendar.js'
import { createSeededRandom } from './random.js'

/** A home place: where routes start, and which local clock the athlete lives by. */
export interface SyntheticHome {
  readonly city: string
  readonly region: string
  readonly country: string
  /** IANA zone name, reported as is. */
  readonly timeZone: string
  readonly latitude: number
  readonly longitude: number
  readonly standardOffsetSeconds: number
  readonly daylight: DaylightRule
  /** Metres above sea level. */
  readonly baseAltitudeMeters: number
}

const homes: readonly SyntheticHome[] = [
  {
    city: 'Montréal',
    region: 'Québec',
    country: 'Canada',
    timeZone: 'America/Toronto',
    latitude: 45.5017,
    longitude: -73.5673,
    standardOffsetSeconds: -5 * 3600,
    daylight: 'north_america',
    baseAltitudeMeters: 40,
  },
  {
    city: 'Boulder',
    region: 'Colorado',
    country: 'United States',
    timeZone: 'America/Denver',
    latitude: 40.015,
    longitude: -105.2705,
    standardOffsetSeconds: -7 * 3600,
    daylight: 'north_america',
    baseAltitudeMeters: 1655,
  },
  {
    city: 'Lyon',
    region: 'Auvergne-Rhône-Alpes',
    country: 'France',
    timeZone: 'Europe/Paris',
    latitude: 45.764,
    longitude: 4.8357,
    standardOffsetSeconds: 3600,
    daylight: 'europe',
    baseAltitudeMeters: 170,
  },
  {
    city: 'Brisbane',
    region: 'Queensland',
    country: 'Australia',
    timeZone: 'Australia/Brisbane',
    latitude: -27.4698,
    longitude: 153.0251,
    standardOffsetSeconds: 10 * 3600,
    daylight: 'none',
    baseAltitudeMeters: 30,
  },
]

/** The physiology the generator draws from one seed; every value is within a plausible range. */
export interface SyntheticProfile {
  readonly sex: 'male' | 'female'
  readonly ageYears: number
  readonly birthYear: number
  readonly weightKg: number
  readonly heightMeters: number
  readonly maxHeartRate: number
  readonly restingHeartRate: number
  /** Lactate-threshold heart rate, bpm. */
  readonly lthr: number
  /** Watts. */
  readonly ftp: number
  /** Running threshold speed, m/s (pace 3:20–6:00 /km). */
  readonly thresholdSpeedMetersPerSecond: number
  /** Swimming threshold (critical swim) speed, m/s. */
  readonly swimThresholdSpeedMetersPerSecond: number
  /** ml/kg/min. */
  readonly vo2max: number
  /** Baseline overnight RMSSD, ms. */
  readonly baselineRmssdMs: number
  /** Coefficient of variation of ln RMSSD, 0.06–0.10. */
  readonly lnRmssdVariationFraction: number
  readonly sleepNeedHours: number
  /** Usual bedtime, minutes after local midnight (may exceed 1440, i.e. after midnight). */
  readonly bedtimeMinutes: number
  readonly home: SyntheticHome
  readonly firstname: string
  readonly lastname: string
}

const firstnames = {
  female: ['Camille', 'Maya', 'Léa', 'Ingrid', 'Nora', 'Sofia', 'Aiko', 'Olivia'],
  male: ['Julien', 'Marco', 'Tomás', 'Erik', 'Samuel', 'Kenji', 'Lucas', 'Owen'],
} as const
const lastnames = ['Tremblay', 'Gagnon', 'Moreau', 'Larsen', 'Okafor', 'Silva', 'Nakamura', 'Roy']

/**
 * Draws the athlete of a seed: sex, age 22–58, mass, height, HRmax from Tanaka (208 − 0.7·age) ± 4,
 * resting HR 44–66, LTHR ≈ 90 % of HRmax, FTP 2.4–4.6 W/kg, threshold pace 3:20–6:00 /km, VO2max
 * consistent with that pace, RMSSD baseline 30–95 ms, sleep need 7–8.5 h, bedtime 21:30–00:30 and a
 * home from a short list (`specs/providers.md` §7).
 */
export function drawProfile(seed: string): SyntheticProfile {
  const random = createSeededRandom(`${seed}|athlete`)
  const sex = random.chance(0.5) ? 'female' : 'male'
  const ageYears = random.integer(22, 58)
  const heightMeters = roundTo(
    sex === 'female' ? random.uniform(1.55, 1.78) : random.uniform(1.66, 1.92),
    2,
  )
  const bmi = random.uniform(19.5, 24)
  const weightKg = roundTo(Math.min(90, Math.max(52, bmi * heightMeters * heightMeters)), 1)
  const fitness = random.next()
  const maxHeartRate = Math.round(208 - 0.7 * ageYears + random.uniform(-4, 4))
  const restingHeartRate = Math.round(66 - 22 * fitness + random.uniform(-2, 2))
  const ftpPerKg = 2.4 + 2.2 * Math.min(1, Math.max(0, fitness + random.uniform(-0.15, 0.15)))
  const thresholdPaceSecondsPerKm =
    360 - 160 * Math.min(1, Math.max(0, fitness + random.uniform(-0.15, 0.15)))
  const thresholdSpeed = 1000 / thresholdPaceSecondsPerKm
  // Daniels: VO2 at a speed v (m/min), with threshold at ≈ 88 % of VO2max.
  const metersPerMinute = thresholdSpeed * 60
  const vo2AtThreshold = -4.6 + 0.182258 * metersPerMinute + 0.000104 * metersPerMinute ** 2
  return {
    sex,
    ageYears,
    birthYear: 2025 - ageYears,
    weightKg,
    heightMeters,
    maxHeartRate,
    restingHeartRate: Math.min(66, Math.max(44, restingHeartRate)),
    lthr: Math.round(0.9 * maxHeartRate),
    ftp: Math.round(ftpPerKg * weightKg),
    thresholdSpeedMetersPerSecond: roundTo(thresholdSpeed, 3),
    swimThresholdSpeedMetersPerSecond: roundTo(
      0.95 + 0.6 * fitness + random.uniform(-0.05, 0.05),
      3,
    ),
    vo2max: roundTo(vo2AtThreshold / 0.88, 1),
    baselineRmssdMs: roundTo(
      30 + 65 * Math.min(1, Math.max(0, 0.3 + 0.5 * fitness + random.uniform(-0.3, 0.3))),
      1,
    ),
    lnRmssdVariationFraction: roundTo(random.uniform(0.06, 0.1), 3),
    sleepNeedHours: roundTo(random.uniform(7, 8.5), 2),
    bedtimeMinutes: Math.round(random.uniform(21.5 * 60, 24.5 * 60)),
    home: random.pick(homes),
    firstname: random.pick(firstnames[sex]),
    lastname: random.pick(lastnames),
  }
}
