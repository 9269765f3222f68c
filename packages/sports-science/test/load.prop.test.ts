import { fc, test } from '@fast-check/vitest'
import { describe, expect, it } from 'vitest'
import { type LoadEntry, load, type PmcDecay, type TsbConvention } from '../src/index.js'

const watts = fc.integer({ min: 0, max: 1500 })
const powerStream = fc.array(fc.oneof(watts, watts, watts, fc.constant(null)), {
  minLength: 30,
  maxLength: 400,
})
const decay = fc.constantFrom<PmcDecay>('trainingpeaks', 'exponential', 'span')
const tsbConvention = fc.constantFrom<TsbConvention>('previousDay', 'sameDay')
const dayLoad = fc.double({ min: 0, max: 400, noNaN: true })

/** Sorted calendar dates of 2025 for day offsets 0–364. */
function dateOf(offset: number): string {
  return new Date(Date.UTC(2025, 0, 1 + offset)).toISOString().slice(0, 10)
}

const entries = fc.array(fc.record({ offset: fc.integer({ min: 0, max: 120 }), load: dayLoad }), {
  minLength: 1,
  maxLength: 40,
})

function toEntries(raw: readonly { offset: number; load: number }[]): LoadEntry[] {
  return raw.map(({ offset, load: value }) => ({ date: dateOf(offset), load: value }))
}

function rollingMeans(power: readonly (number | null)[], window = 30): number[] {
  const values = power.map((value) => value ?? 0)
  const means: number[] = []
  for (let end = window - 1; end < values.length; end++) {
    let sum = 0
    for (let index = end - window + 1; index <= end; index++) sum += values[index] as number
    means.push(sum / window)
  }
  return means
}

function allFinite(value: unknown): boolean {
  if (typeof value === 'number') return Number.isFinite(value)
  if (Array.isArray(value)) return value.every(allFinite)
  if (typeof value === 'object' && value !== null) return Object.values(value).every(allFinite)
  return true
}

describe('normalized power properties', () => {
  test.prop([powerStream])('agrees with the naive re-summing definition', (power) => {
    const means = rollingMeans(power)
    const naive = (means.reduce((sum, mean) => sum + mean ** 4, 0) / means.length) ** 0.25
    expect(load.normalizedPower(power)).toBeCloseTo(naive, 6)
  })

  test.prop([powerStream])(
    'is at least the mean of its rolling means (power-mean inequality)',
    (power) => {
      const means = rollingMeans(power)
      const meanOfMeans = means.reduce((sum, mean) => sum + mean, 0) / means.length
      expect(load.normalizedPower(power) as number).toBeGreaterThanOrEqual(
        meanOfMeans * (1 - 1e-12),
      )
    },
  )

  test.prop([powerStream, fc.constantFrom('strict' as const, 'zeroPad' as const)])(
    'is at least average power for a ride that starts and ends with a 29-s coast',
    (power, warmup) => {
      // With 29 zero samples at both ends every real sample sits in exactly 30 windows, so the
      // windows weigh all work equally and NP ≥ mean ≥ average power (Allen & Coggan 2010).
      const ride = [...new Array(29).fill(0), ...power, ...new Array(29).fill(0)]
      const np = load.normalizedPower(ride, { warmup }) as number
      expect(np).toBeGreaterThanOrEqual((load.averagePower(ride) as number) * (1 - 1e-12))
    },
  )

  test.prop([
    fc.array(fc.oneof(fc.double({ min: 0, max: 2000, noNaN: true }), fc.constant(Number.NaN)), {
      minLength: 30,
      maxLength: 3000,
    }),
    fc.constantFrom('strict' as const, 'zeroPad' as const),
  ])('the Float64Array fast path agrees with the general path, gaps included', (values, warmup) => {
    const typed = load.normalizedPower(Float64Array.from(values), { warmup }) as number
    const plain = load.normalizedPower(
      values.map((value) => (Number.isNaN(value) ? null : value)),
      { warmup },
    )
    expect(Math.abs(typed - (plain as number))).toBeLessThanOrEqual(1e-9 * Math.max(1, typed))
  })

  it('can fall below average power when one spike sits at the edge of a short stream', () => {
    // The strict definition uses only full windows, so a spike in the first second is averaged
    // into one window only: NP = 1000/30 / 31^¼ ≈ 14.1 W while average power is 16.7 W.
    const power = [1000, ...new Array(59).fill(0)]
    expect(load.normalizedPower(power)).toBeLessThan(load.averagePower(power) as number)
  })

  test.prop([watts, fc.integer({ min: 30, max: 20_000 })])(
    'of a constant stream equals the constant',
    (value, length) => {
      expect(load.normalizedPower(new Float64Array(length).fill(value))).toBeCloseTo(value, 9)
    },
  )

  test.prop([fc.float64Array({ min: 0, max: 2000, noNaN: true, minLength: 1, maxLength: 500 })])(
    'summaries are finite for every valid stream',
    (power) => {
      expect(allFinite(load.powerStreamSummary(power, { ftp: 250 }))).toBe(true)
      expect(allFinite(load.normalizedPower(power, { warmup: 'zeroPad' }))).toBe(true)
    },
  )
})

describe('TSS properties', () => {
  const intensity = fc.double({ min: 0, max: 2, noNaN: true })
  const ftp = fc.double({ min: 50, max: 600, noNaN: true })
  const duration = fc.double({ min: 0, max: 36_000, noNaN: true })

  test.prop([fc.tuple(intensity, ftp, duration, fc.double({ min: 0, max: 10, noNaN: true }))])(
    'power TSS is linear in duration at a fixed IF',
    ([ifValue, threshold, durationSec, factor]) => {
      const args = { normalizedPower: ifValue * threshold, ftp: threshold }
      const once = load.powerTss({ ...args, durationSec })
      const scaled = load.powerTss({ ...args, durationSec: durationSec * factor })
      expect(scaled).toBeCloseTo(once * factor, 6)
      expect(once).toBeCloseTo((durationSec / 3600) * ifValue ** 2 * 100, 6)
    },
  )

  test.prop([
    duration,
    fc.double({ min: 1, max: 8, noNaN: true }),
    fc.double({ min: 150, max: 900, noNaN: true }),
  ])(
    'rTSS equals power-form TSS at the same IF and never decreases with speed',
    (durationSec, speedMps, thresholdPaceSecPerKm) => {
      const tss = load.runningTss({ durationSec, speedMps, thresholdPaceSecPerKm })
      const faster = load.runningTss({
        durationSec,
        speedMps: speedMps + 0.5,
        thresholdPaceSecPerKm,
      })
      expect(faster).toBeGreaterThanOrEqual(tss)
      expect(Number.isFinite(tss)).toBe(true)
    },
  )

  test.prop([
    fc.tuple(
      fc.double({ min: 1, max: 600, noNaN: true }),
      fc.integer({ min: 20, max: 250 }),
      fc.integer({ min: 30, max: 80 }),
      fc.integer({ min: 150, max: 220 }),
    ),
  ])(
    'TRIMP and hrTSS are finite and never fall when HR rises',
    ([durationMin, hr, restingHr, maxHr]) => {
      const lthr = Math.round((restingHr + maxHr) / 2 + 10)
      const base = { durationMin, restingHr, maxHr }
      const low = load.trimpBanister({ ...base, avgHr: Math.min(hr, 249) })
      const high = load.trimpBanister({ ...base, avgHr: Math.min(hr, 249) + 1 })
      expect(high).toBeGreaterThanOrEqual(low)
      const tss = load.hrTss({ lthr, restingHr, maxHr, avgHr: hr, durationSec: durationMin * 60 })
      expect(Number.isFinite(tss)).toBe(true)
    },
  )
})

describe('PMC properties', () => {
  test.prop([
    fc.tuple(dayLoad, fc.integer({ min: 1, max: 400 }), decay, fc.integer({ min: 1, max: 60 })),
  ])(
    'constant load follows the closed form X_n = L(1 − (1 − α)^n)',
    ([value, count, decayKind, ctlDays]) => {
      const series = Array.from({ length: count }, (_, offset) => ({
        date: dateOf(offset),
        load: value,
      }))
      const current = load.pmc(series, { decay: decayKind, ctlDays, atlDays: 7 }).current
      const ctlAlpha = load.ewmaAlpha(ctlDays, decayKind)
      const atlAlpha = load.ewmaAlpha(7, decayKind)
      expect(current?.ctl).toBeCloseTo(value * (1 - (1 - ctlAlpha) ** count), 6)
      expect(current?.atl).toBeCloseTo(value * (1 - (1 - atlAlpha) ** count), 6)
    },
  )

  test.prop([
    fc.tuple(
      entries,
      fc.integer({ min: 0, max: 120 }),
      fc.double({ min: 0.001, max: 300, noNaN: true }),
      decay,
    ),
  ])(
    'CTL and ATL never fall when load is added, and rise on the day it is added',
    ([raw, offset, extra, decayKind]) => {
      const base = toEntries(raw)
      const options = { from: dateOf(0), to: dateOf(130), decay: decayKind }
      const before = load.pmc(base, options).days
      const after = load.pmc([...base, { date: dateOf(offset), load: extra }], options).days
      after.forEach((day, index) => {
        const previous = before[index]
        if (previous === undefined) throw new Error('series lengths differ')
        // Long after a tiny addition its effect falls below one rounding of the averages.
        const rounding = 1e-12 * Math.max(1, previous.ctl, previous.atl)
        expect(day.ctl).toBeGreaterThanOrEqual(previous.ctl - rounding)
        expect(day.atl).toBeGreaterThanOrEqual(previous.atl - rounding)
        if (index === offset) {
          expect(day.ctl).toBeGreaterThan(previous.ctl)
          expect(day.atl).toBeGreaterThan(previous.atl)
        }
      })
    },
  )

  test.prop([entries, tsbConvention])('does not depend on input order', (raw, tsb) => {
    const forward = toEntries(raw)
    const backward = [...forward].reverse()
    const a = load.pmc(forward, { tsb }).days
    const b = load.pmc(backward, { tsb }).days
    expect(a.map((day) => day.date)).toEqual(b.map((day) => day.date))
    a.forEach((day, index) => {
      expect(day.ctl).toBeCloseTo(b[index]?.ctl ?? Number.NaN, 9)
      expect(day.atl).toBeCloseTo(b[index]?.atl ?? Number.NaN, 9)
    })
  })

  test.prop([
    fc.tuple(entries, decay, tsbConvention, fc.double({ min: 0, max: 200, noNaN: true })),
  ])(
    'every value is finite and CTL, ATL stay within [0, max(load, seed)]',
    ([raw, decayKind, tsb, seed]) => {
      const result = load.pmc(toEntries(raw), {
        decay: decayKind,
        tsb,
        initialCtl: seed,
        initialAtl: seed,
      })
      expect(allFinite(result)).toBe(true)
      const ceiling = Math.max(seed, ...raw.map(({ load: value }) => value)) * (1 + 1e-12)
      for (const day of result.days) {
        expect(day.ctl).toBeGreaterThanOrEqual(0)
        expect(day.ctl).toBeLessThanOrEqual(ceiling)
        expect(day.atl).toBeLessThanOrEqual(ceiling)
      }
    },
  )

  test.prop([
    fc.tuple(
      fc.double({ min: 0, max: 150, noNaN: true }),
      fc.double({ min: 0, max: 200, noNaN: true }),
      fc.array(dayLoad, { minLength: 1, maxLength: 30 }),
      fc.double({ min: -40, max: 30, noNaN: true }),
    ),
  ])(
    'restForTargetTsb reaches the target with its rest and not with one day less',
    ([ctl, atl, plan, targetTsb]) => {
      const state = { date: dateOf(0), ctl, atl }
      const planned = plan.map((value, index) => ({ date: dateOf(index + 1), load: value }))
      const targetDate = dateOf(plan.length)
      const result = load.restForTargetTsb(state, { targetTsb, targetDate, planned })
      if (result === null) return
      expect(result.tsb).toBeGreaterThanOrEqual(targetTsb - 1e-9)
      expect(result.projection.current?.date).toBe(targetDate)
      if (result.restDays > 0) {
        const fewer = planned.map((entry, index) =>
          index >= plan.length - result.restDays && index < plan.length - 1
            ? { ...entry, load: 0 }
            : entry,
        )
        const tsb = load.projectForm(state, fewer, { to: targetDate }).current?.tsb ?? Number.NaN
        expect(tsb).toBeLessThan(targetTsb + 1e-9)
      }
    },
  )
})
