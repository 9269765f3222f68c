import type { SyntheticProfile } from './athlete.js'
import { dayMs, roundTo, toCalendarDate, utcOffsetSeconds, weekdayOf } from './internal/calendar.js'
import { createSeededRandom } from './random.js'

/** The sports the synthetic athlete trains. */
type SyntheticSport = 'run' | 'ride' | 'swim'

/** Session templates (`specs/providers.md` §7). */
type SessionKind = 'easy' | 'long' | 'tempo' | 'intervals'

/** One block of a session at a steady effort. */
interface Segment {
  readonly durationSeconds: number
  /** Effort as a fraction of threshold (1 = threshold speed, FTP or CSS). */
  readonly effortFraction: number
  /** A rest between repetitions (swim: standing at the wall). */
  readonly rest?: boolean
}

/** One planned session; the streams and the summary are generated from it on demand. */
export interface PlannedSession {
  readonly id: string
  readonly dayNumber: number
  readonly calendarDate: string
  /** 1-based number of the session in its day. */
  readonly ordinal: number
  readonly sport: SyntheticSport
  readonly kind: SessionKind
  readonly name: string
  readonly startEpochMs: number
  readonly utcOffsetSeconds: number
  readonly segments: readonly Segment[]
  readonly plannedDurationSeconds: number
  /** Estimated training stress (duration_h · IF² · 100), the load the health model responds to. */
  readonly plannedTss: number
  /** Whether the session starts after 17:00 local time (it delays bedtime). */
  readonly evening: boolean
}

/** Volume factor of each week of the 4-week block: 3 build weeks and a recovery week. */
const blockVolumeFactors = [1, 1.1, 1.2, 0.7] as const

interface SlotPlan {
  readonly sport: SyntheticSport
  readonly kind: SessionKind
  /** Base minutes before the block factor. */
  readonly minutes: number
}

const sportNames: Record<SyntheticSport, string> = { run: 'Run', ride: 'Ride', swim: 'Swim' }
const kindNames: Record<SessionKind, string> = {
  easy: 'Easy',
  long: 'Long',
  tempo: 'Tempo',
  intervals: 'Intervals',
}

function weekSlots(seed: string, weekNumber: number): readonly (readonly SlotPlan[])[] {
  const random = createSeededRandom(`${seed}|week|${weekNumber}`)
  const runQuality: SessionKind = random.pick(['intervals', 'tempo'])
  const rideQuality: SessionKind = random.pick(['intervals', 'tempo'])
  const fridayRest = random.chance(0.5)
  return [
    [],
    [
      { sport: 'run', kind: runQuality, minutes: random.uniform(50, 65) },
      ...(random.chance(0.6)
        ? [{ sport: 'swim', kind: 'easy', minutes: random.uniform(30, 45) } as const]
        : []),
    ],
    [{ sport: 'ride', kind: rideQuality, minutes: random.uniform(60, 80) }],
    [
      { sport: 'run', kind: 'easy', minutes: random.uniform(35, 50) },
      {
        sport: 'swim',
        kind: random.pick(['intervals', 'easy'] as const),
        minutes: random.uniform(35, 50),
      },
    ],
    fridayRest ? [] : [{ sport: 'ride', kind: 'easy', minutes: random.uniform(45, 60) }],
    [{ sport: 'ride', kind: 'long', minutes: random.uniform(120, 180) }],
    [{ sport: 'run', kind: 'long', minutes: random.uniform(75, 110) }],
  ]
}

function segmentsOf(
  slot: SlotPlan,
  totalSeconds: number,
  random: ReturnType<typeof createSeededRandom>,
): Segment[] {
  const steady = (effortFraction: number): Segment[] => [
    { durationSeconds: 600, effortFraction: effortFraction - 0.08 },
    { durationSeconds: Math.max(300, totalSeconds - 900), effortFraction },
    { durationSeconds: 300, effortFraction: effortFraction - 0.1 },
  ]
  if (slot.sport === 'swim') {
    if (slot.kind === 'intervals') {
      const reps = Math.max(4, Math.round((totalSeconds - 900) / 120))
      const work: Segment[] = []
      for (let rep = 0; rep < reps; rep += 1) {
        work.push({ durationSeconds: 95, effortFraction: random.uniform(1.0, 1.06) })
        work.push({ durationSeconds: 25, effortFraction: 0, rest: true })
      }
      return [
        { durationSeconds: 600, effortFraction: 0.8 },
        ...work,
        { durationSeconds: 300, effortFraction: 0.78 },
      ]
    }
    return steady(0.86)
  }
  switch (slot.kind) {
    case 'easy':
      return steady(slot.sport === 'run' ? 0.78 : 0.66)
    case 'long':
      return steady(slot.sport === 'run' ? 0.8 : 0.68)
    case 'tempo': {
      const blockSeconds = slot.sport === 'run' ? 20 * 60 : 12 * 60
      const blocks = slot.sport === 'run' ? 1 : 3
      const segments: Segment[] = [{ durationSeconds: 15 * 60, effortFraction: 0.7 }]
      for (let block = 0; block < blocks; block += 1) {
        segments.push({
          durationSeconds: blockSeconds,
          effortFraction: slot.sport === 'run' ? 0.94 : 0.9,
        })
        segments.push({ durationSeconds: 300, effortFraction: 0.65 })
      }
      const used = segments.reduce((sum, segment) => sum + segment.durationSeconds, 0)
      segments.push({ durationSeconds: Math.max(300, totalSeconds - used), effortFraction: 0.68 })
      return segments
    }
    case 'intervals': {
      const segments: Segment[] = [{ durationSeconds: 15 * 60, effortFraction: 0.7 }]
      const reps = slot.sport === 'run' ? 6 : 5
      const [work, recover] = slot.sport === 'run' ? [180, 120] : [240, 180]
      for (let rep = 0; rep < reps; rep += 1) {
        segments.push({ durationSeconds: work, effortFraction: slot.sport === 'run' ? 1.06 : 1.12 })
        segments.push({ durationSeconds: recover, effortFraction: 0.6 })
      }
      const used = segments.reduce((sum, segment) => sum + segment.durationSeconds, 0)
      segments.push({ durationSeconds: Math.max(300, totalSeconds - used), effortFraction: 0.66 })
      return segments
    }
  }
}

/**
 * Returns the sessions of one local calendar day. The draw depends only on the seed, the day and
 * the week (never on the history window), so adding days never changes earlier ones.
 */
export function planDay(
  seed: string,
  profile: SyntheticProfile,
  dayNumber: number,
): PlannedSession[] {
  const weekday = weekdayOf(dayNumber)
  const weekNumber = Math.floor((dayNumber + 3) / 7)
  const volume = blockVolumeFactors[weekNumber % 4] as number
  const slots = weekSlots(seed, weekNumber)[weekday] ?? []
  const random = createSeededRandom(`${seed}|day|${dayNumber}`)
  const calendarDate = toCalendarDate(dayNumber)
  const offsetSeconds = utcOffsetSeconds(dayNumber, profile.home)
  const sessions: PlannedSession[] = []
  const weekend = weekday >= 5
  for (const [index, slot] of slots.entries()) {
    // A missed session now and then (work, weather), never the long ones.
    if (slot.kind !== 'long' && random.chance(0.06)) continue
    const totalSeconds = Math.round((slot.minutes * 60 * volume) / 60) * 60
    const segments = segmentsOf(slot, totalSeconds, random)
    const plannedDurationSeconds = segments.reduce(
      (sum, segment) => sum + segment.durationSeconds,
      0,
    )
    const startMinutes =
      index === 0
        ? weekend
          ? random.uniform(7.5 * 60, 9.5 * 60)
          : random.chance(0.5) || slots.length > 1
            ? random.uniform(6 * 60, 7 * 60)
            : random.uniform(17.5 * 60, 18.5 * 60)
        : random.uniform(19 * 60, 19.75 * 60)
    const localMidnightMs = dayNumber * dayMs - offsetSeconds * 1000
    const startEpochMs = localMidnightMs + Math.round(startMinutes) * 60_000
    let weighted = 0
    for (const segment of segments)
      weighted += segment.durationSeconds * segment.effortFraction ** 4
    const intensity = (weighted / plannedDurationSeconds) ** 0.25
    const ordinal = sessions.length + 1
    sessions.push({
      id: `${calendarDate}-${ordinal}`,
      dayNumber,
      calendarDate,
      ordinal,
      sport: slot.sport,
      kind: slot.kind,
      name: `${kindNames[slot.kind]} ${sportNames[slot.sport].toLowerCase()}`.replace(
        /^./,
        (first) => first.toUpperCase(),
      ),
      startEpochMs,
      utcOffsetSeconds: offsetSeconds,
      segments,
      plannedDurationSeconds,
      plannedTss: roundTo((plannedDurationSeconds / 3600) * intensity ** 2 * 100, 1),
      evening: startMinutes >= 17 * 60,
    })
  }
  return sessions
}
