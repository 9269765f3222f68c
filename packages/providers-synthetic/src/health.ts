import type {
  DailySummary,
  HealthMetrics,
  HrvDaily,
  RecoveryMetrics,
  SleepSession,
  SleepStage,
} from '@pierre/providers-core'
import type { SyntheticProfile } from './athlete.js'
import { providerName } from './generate-activity.js'
import {
  clamp,
  dayMs,
  roundTo,
  toCalendarDate,
  toIsoInstant,
  utcOffsetSeconds,
} from './internal/calendar.js'
import type { PlannedSession } from './plan.js'
import { createSeededRandom } from './random.js'

/** Everything generated for one local calendar day (the night that ends on it, then the day). */
export interface DayRecord {
  readonly dayNumber: number
  readonly calendarDate: string
  /** Local midnight of the day, epoch ms. */
  readonly midnightEpochMs: number
  /** End of the local day, epoch ms. */
  readonly endEpochMs: number
  /** Acute load (7-day EWMA of TSS) at the start of the day. */
  readonly atl: number
  /** Chronic load (42-day EWMA of TSS) at the start of the day. */
  readonly ctl: number
  /** Planned TSS of the previous day. */
  readonly previousDayTss: number
  readonly sleep: SleepSession
  readonly hrv: HrvDaily
  readonly recovery: RecoveryMetrics
  readonly health: HealthMetrics
  readonly daily: DailySummary
}

/** Days of load history run before the first returned day, so the EWMAs have settled. */
const warmUpDays = 42

const atlDecay = 1 - Math.exp(-1 / 7)
const ctlDecay = 1 - Math.exp(-1 / 42)
const metByKind = { run: 10, ride: 8, swim: 7 } as const

function sigmoid(value: number): number {
  return 1 / (1 + Math.exp(-value))
}

interface Hypnogram {
  readonly stages: SleepStage[]
  readonly timeInBedMinutes: number
  readonly asleepMinutes: number
  readonly deepMinutes: number
  readonly remMinutes: number
  readonly awakenings: number
  readonly latencyMinutes: number
}

/**
 * Builds a night of whole-minute stage segments: onset latency 5–25 min awake, 4–6 cycles of light,
 * deep (front-loaded, ≈ 50 min in cycle 1, none in the last ones) and REM (back-loaded, 8 → 33 min),
 * and 1–4 brief awakenings between cycles.
 */
function buildHypnogram(
  startEpochMs: number,
  asleepTargetMinutes: number,
  random: ReturnType<typeof createSeededRandom>,
): Hypnogram {
  const stages: SleepStage[] = []
  let cursorMs = startEpochMs
  const push = (stageType: SleepStage['stage_type'], minutes: number): void => {
    if (minutes <= 0) return
    const last = stages[stages.length - 1]
    if (last !== undefined && last.stage_type === stageType) {
      stages[stages.length - 1] = { ...last, duration_minutes: last.duration_minutes + minutes }
      cursorMs += minutes * 60_000
      return
    }
    stages.push({
      stage_type: stageType,
      start_time: toIsoInstant(cursorMs),
      duration_minutes: minutes,
    })
    cursorMs += minutes * 60_000
  }
  const latencyMinutes = random.integer(5, 25)
  push('awake', latencyMinutes)
  const cycles = clamp(Math.round(asleepTargetMinutes / 95), 4, 6)
  const awakeAfter = new Set<number>()
  const awakenings = random.integer(1, Math.min(4, cycles - 1))
  while (awakeAfter.size < awakenings) awakeAfter.add(random.integer(0, cycles - 2))
  let remaining = asleepTargetMinutes
  let deepTotal = 0
  let remTotal = 0
  for (let cycle = 0; cycle < cycles; cycle += 1) {
    const length =
      cycle === cycles - 1
        ? remaining
        : Math.round(asleepTargetMinutes / cycles + random.uniform(-8, 8))
    remaining -= length
    const rem = Math.round(8 + (25 * cycle) / (cycles - 1) + random.uniform(-3, 3))
    const deep = Math.max(
      0,
      Math.min(length - rem - 10, Math.round((50 - 18 * cycle) * random.uniform(0.8, 1.2))),
    )
    const light = length - deep - rem
    const firstLight = Math.round(light / 2)
    push('light', firstLight)
    push('deep', deep)
    push('light', light - firstLight)
    push('rem', rem)
    deepTotal += deep
    remTotal += rem
    if (awakeAfter.has(cycle)) push('awake', random.integer(1, 5))
  }
  push('awake', random.integer(0, 5))
  const timeInBedMinutes = Math.round((cursorMs - startEpochMs) / 60_000)
  const awake = stages
    .filter((stage) => stage.stage_type === 'awake')
    .reduce((sum, stage) => sum + stage.duration_minutes, 0)
  return {
    stages,
    timeInBedMinutes,
    asleepMinutes: timeInBedMinutes - awake,
    deepMinutes: deepTotal,
    remMinutes: remTotal,
    awakenings,
    latencyMinutes,
  }
}

/**
 * Generates the nights and days `[firstDay, lastDay]` (day numbers), running the load model from
 * {@link warmUpDays} earlier. lnRMSSD = ln(baseline) + AR(1) noise − 0.12·(yesterday's TSS/100)
 * − 0.3·max(0, ATL − CTL)/100 − 0.02·sleep debt (h); resting HR rises 2.5 bpm per 100 TSS of the
 * day before and 4 bpm per 100 of ATL above CTL (`specs/providers.md` §7).
 */
export function generateDays(
  seed: string,
  profile: SyntheticProfile,
  days: {
    readonly firstDay: number
    readonly lastDay: number
    readonly plan: (dayNumber: number) => readonly PlannedSession[]
  },
): DayRecord[] {
  const { firstDay, lastDay, plan } = days
  const records: DayRecord[] = []
  const lnBaseline = Math.log(profile.baselineRmssdMs)
  const lnNoiseSd = profile.lnRmssdVariationFraction * 1.5
  const needMinutes = profile.sleepNeedHours * 60
  // Start both loads at the mean daily TSS of the 6 weeks before the warm-up, so the model is
  // settled and a longer or shorter history barely changes a given day.
  let settled = 0
  for (let day = firstDay - 2 * warmUpDays; day < firstDay - warmUpDays; day += 1) {
    settled += plan(day).reduce((sum, session) => sum + session.plannedTss, 0) / warmUpDays
  }
  let atl = settled
  let ctl = settled
  let hrvNoise = 0
  let sleepDebtHours = 0
  let weightKg = profile.weightKg
  let previous = plan(firstDay - warmUpDays - 1)
  for (let day = firstDay - warmUpDays; day <= lastDay; day += 1) {
    const random = createSeededRandom(`${seed}|day-health|${day}`)
    const previousDayTss = previous.reduce((sum, session) => sum + session.plannedTss, 0)
    atl += (previousDayTss - atl) * atlDecay
    ctl += (previousDayTss - ctl) * ctlDecay
    hrvNoise = 0.5 * hrvNoise + random.normal(0, lnNoiseSd * Math.sqrt(1 - 0.25))
    const strain = Math.max(0, atl - ctl)
    const lnRmssd =
      lnBaseline +
      hrvNoise -
      0.12 * (previousDayTss / 100) -
      0.3 * (strain / 100) -
      0.02 * sleepDebtHours
    const rmssd = roundTo(clamp(Math.exp(lnRmssd), 8, 200), 1)
    const restingHeartRate = Math.round(
      clamp(
        profile.restingHeartRate +
          2.5 * (previousDayTss / 100) +
          4 * (strain / 100) +
          random.normal(0, 1),
        35,
        90,
      ),
    )

    const offsetSeconds = utcOffsetSeconds(day, profile.home)
    const previousOffset = utcOffsetSeconds(day - 1, profile.home)
    const midnightEpochMs = day * dayMs - offsetSeconds * 1000
    const eveningBefore = previous.some((session) => session.evening)
    const bedtimeMinutes =
      profile.bedtimeMinutes + random.normal(0, 25) + (eveningBefore ? random.uniform(20, 40) : 0)
    const bedEpochMs =
      (day - 1) * dayMs - previousOffset * 1000 + Math.round(bedtimeMinutes) * 60_000
    const asleepTarget = Math.round(
      clamp(
        random.normal(needMinutes, 35) -
          (eveningBefore ? random.uniform(10, 20) : 0) +
          Math.min(30, sleepDebtHours * 10),
        300,
        570,
      ),
    )
    const night = buildHypnogram(bedEpochMs, asleepTarget, random)
    sleepDebtHours = Math.max(0, 0.7 * sleepDebtHours + (needMinutes - night.asleepMinutes) / 60)
    const efficiencyPercent = roundTo((100 * night.asleepMinutes) / night.timeInBedMinutes, 1)
    const sleepScore = Math.round(
      clamp(
        40 * Math.min(1, night.asleepMinutes / needMinutes) +
          40 * (efficiencyPercent / 100) +
          20 * Math.min(1, (night.deepMinutes + night.remMinutes) / (0.4 * night.asleepMinutes)),
        0,
        100,
      ),
    )
    const sessions = plan(day)
    previous = sessions
    if (day < firstDay) continue

    const calendarDate = toCalendarDate(day)
    const respiratoryRate = roundTo(random.uniform(13, 17), 1)
    const spo2 = roundTo(random.uniform(94, 98), 1)
    const sleep: SleepSession = {
      id: `sleep-${calendarDate}`,
      provider: providerName,
      start_time: toIsoInstant(bedEpochMs),
      end_time: toIsoInstant(bedEpochMs + night.timeInBedMinutes * 60_000),
      date_of_sleep: calendarDate,
      is_nap: false,
      utc_offset_seconds: offsetSeconds,
      time_in_bed: night.timeInBedMinutes,
      total_sleep_time: night.asleepMinutes,
      sleep_efficiency: efficiencyPercent,
      sleep_score: sleepScore,
      stages: night.stages,
      stage_detail: 'segments',
      hrv_during_sleep: rmssd,
      respiratory_rate: respiratoryRate,
      temperature_variation: roundTo(random.uniform(-0.3, 0.3), 2),
      average_heart_rate: restingHeartRate + random.integer(3, 6),
      lowest_heart_rate: restingHeartRate,
      spo2_average: spo2,
      wake_count: night.awakenings,
      sleep_onset_latency: night.latencyMinutes,
    }
    const hrv: HrvDaily = {
      calendar_date: calendarDate,
      provider: providerName,
      rmssd_ms: rmssd,
      window: 'sleep',
    }
    // Recovery (synthetic only): 100·sigmoid(z(lnRMSSD) − 0.5·z(RHR) + 0.3·z(sleep performance)).
    const zHrv = (Math.log(rmssd) - lnBaseline) / lnNoiseSd
    const zRhr = (restingHeartRate - profile.restingHeartRate) / 2
    const zSleep = (night.asleepMinutes / needMinutes - 1) / 0.1
    const recoveryScore = Math.round(100 * sigmoid(zHrv - 0.5 * zRhr + 0.3 * zSleep))
    const recovery: RecoveryMetrics = {
      date: toIsoInstant(midnightEpochMs),
      calendar_date: calendarDate,
      provider: providerName,
      recovery_score: recoveryScore,
      readiness_score: clamp(recoveryScore, 1, 99),
      hrv_status: zHrv < -1 ? 'low' : zHrv > 1.5 ? 'unbalanced' : 'balanced',
      sleep_score: sleepScore,
      training_load: roundTo(atl, 1),
      resting_heart_rate: restingHeartRate,
      resting_respiratory_rate: respiratoryRate,
      hrv_rmssd_ms: rmssd,
      spo2_percentage: spo2,
      user_calibrating: false,
    }
    weightKg = clamp(
      weightKg + random.normal(0, 0.1) + 0.02 * (profile.weightKg - weightKg),
      profile.weightKg - 2,
      profile.weightKg + 2,
    )
    const heightCm = profile.heightMeters * 100
    // Mifflin–St Jeor resting energy, kcal/day.
    const bmr =
      10 * weightKg + 6.25 * heightCm - 5 * profile.ageYears + (profile.sex === 'male' ? 5 : -161)
    const health: HealthMetrics = {
      date: toIsoInstant(midnightEpochMs),
      calendar_date: calendarDate,
      provider: providerName,
      weight: roundTo(weightKg, 1),
      bmr: Math.round(bmr),
      bmi: roundTo(weightKg / (profile.heightMeters * profile.heightMeters), 1),
      vo2_max: profile.vo2max,
    }
    let moderate = 0
    let vigorous = 0
    let sessionCalories = 0
    let runSteps = 0
    for (const session of sessions) {
      for (const segment of session.segments) {
        if (segment.rest === true) continue
        if (segment.effortFraction >= 0.85) vigorous += segment.durationSeconds / 60
        else moderate += segment.durationSeconds / 60
      }
      sessionCalories +=
        metByKind[session.sport] * profile.weightKg * (session.plannedDurationSeconds / 3600)
      if (session.sport === 'run') runSteps += (session.plannedDurationSeconds / 60) * 170
    }
    const walkingSteps = random.integer(5000, 15000)
    const steps = Math.round(walkingSteps + runSteps)
    const walkingCalories = walkingSteps * 0.04
    const lightMinutes = Math.round(walkingSteps / 100)
    const activeMinutes = Math.round(moderate + vigorous)
    records.push({
      dayNumber: day,
      calendarDate,
      midnightEpochMs,
      endEpochMs: midnightEpochMs + dayMs,
      atl: roundTo(atl, 1),
      ctl: roundTo(ctl, 1),
      previousDayTss,
      sleep,
      hrv,
      recovery,
      health,
      daily: {
        calendar_date: calendarDate,
        provider: providerName,
        steps,
        distance_meters: Math.round(walkingSteps * 0.75),
        floors: random.integer(2, 20),
        total_calories: Math.round(bmr + walkingCalories + sessionCalories),
        active_calories: Math.round(walkingCalories + sessionCalories),
        bmr_calories: Math.round(bmr),
        sedentary_minutes: Math.max(
          0,
          1440 - night.timeInBedMinutes - lightMinutes - activeMinutes,
        ),
        light_minutes: lightMinutes,
        moderate_minutes: Math.round(moderate),
        vigorous_minutes: Math.round(vigorous),
        resting_heart_rate: restingHeartRate,
        min_heart_rate: Math.max(35, restingHeartRate - random.integer(1, 4)),
        stress_average: Math.round(clamp(15 + 20 * random.next() + 10 * (strain / 50), 0, 100)),
        spo2_average: spo2,
        respiratory_rate: respiratoryRate,
        vo2_max: profile.vo2max,
      },
    })
  }
  return records
}
