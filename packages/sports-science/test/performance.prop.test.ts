import { fc, test } from '@fast-check/vitest'
import { describe, expect } from 'vitest'
import { type MaxHrMethod, performance } from '../src/index.js'

const tableVdot = fc.double({ min: 30, max: 85, noNaN: true })
const raceDistance = fc.double({ min: 1500, max: 42195, noNaN: true })
const distance = fc.double({ min: 100, max: 100_000, noNaN: true })
const power = fc.integer({ min: 0, max: 1200 })

function allFinite(value: unknown): boolean {
  if (typeof value === 'number') return Number.isFinite(value)
  if (Array.isArray(value)) return value.every(allFinite)
  if (typeof value === 'object' && value !== null) return Object.values(value).every(allFinite)
  return true
}

describe('VDOT and race prediction properties (Daniels & Gilbert 1979)', () => {
  test.prop([tableVdot, raceDistance])(
    'VDOT → race time → VDOT round-trips to 1e-6',
    (vdot, distanceM) => {
      const timeSec = performance.raceTimeFromVdot(vdot, distanceM)
      expect(Math.abs(performance.vdotFromRace(distanceM, timeSec) - vdot)).toBeLessThan(1e-6)
    },
  )

  test.prop([raceDistance, fc.double({ min: 150, max: 450, noNaN: true })])(
    'race time → VDOT → race time round-trips to 1 ms',
    (distanceM, velocity) => {
      const timeSec = (distanceM / velocity) * 60
      const vdot = performance.vdotFromRace(distanceM, timeSec)
      fc.pre(vdot >= 20 && vdot <= 90)
      expect(Math.abs(performance.raceTimeFromVdot(vdot, distanceM) - timeSec)).toBeLessThan(1e-3)
    },
  )

  test.prop([tableVdot, raceDistance, fc.double({ min: 1.01, max: 3, noNaN: true })])(
    'a longer race takes longer at a slower pace',
    (vdot, distanceM, factor) => {
      const shorter = performance.raceTimeFromVdot(vdot, distanceM)
      const longer = performance.raceTimeFromVdot(vdot, distanceM * factor)
      expect(longer).toBeGreaterThan(shorter)
      expect(longer / (distanceM * factor)).toBeGreaterThan(shorter / distanceM)
    },
  )

  test.prop([tableVdot, raceDistance, fc.double({ min: 0.01, max: 5, noNaN: true })])(
    'a higher VDOT is faster',
    (vdot, distanceM, step) => {
      expect(performance.raceTimeFromVdot(vdot + step, distanceM)).toBeLessThan(
        performance.raceTimeFromVdot(vdot, distanceM),
      )
    },
  )

  test.prop([
    fc.tuple(
      distance,
      fc.double({ min: 60, max: 40_000, noNaN: true }),
      distance,
      distance,
      fc.double({ min: 1.001, max: 1.2, noNaN: true }),
    ),
  ])(
    'Riegel is monotone: a longer target takes longer, at a slower pace',
    ([knownDistanceM, knownTimeSec, a, b, exponent]) => {
      const [near, far] = a < b ? [a, b] : [b, a]
      fc.pre(far > near * 1.001)
      const nearTime = performance.riegel(knownDistanceM, knownTimeSec, near, exponent)
      const farTime = performance.riegel(knownDistanceM, knownTimeSec, far, exponent)
      expect(farTime).toBeGreaterThan(nearTime)
      expect(farTime / far).toBeGreaterThan(nearTime / near)
      expect(Number.isFinite(farTime)).toBe(true)
    },
  )

  test.prop([tableVdot])(
    'Daniels paces are ordered easy > marathon > threshold > interval > repetition',
    (vdot) => {
      const paces = performance.danielsPaces(vdot)
      expect(paces.easySlowSecPerKm).toBeGreaterThan(paces.easyFastSecPerKm)
      expect(paces.easyFastSecPerKm).toBeGreaterThan(paces.marathonSecPerKm)
      expect(paces.marathonSecPerKm).toBeGreaterThan(paces.thresholdSecPerKm)
      expect(paces.thresholdSecPerKm).toBeGreaterThan(paces.intervalSecPerKm)
      expect(paces.intervalSecPerKm).toBeGreaterThan(paces.repetitionSecPerKm)
      expect(allFinite(paces)).toBe(true)
    },
  )
})

describe('power-duration properties', () => {
  const cp = fc.double({ min: 100, max: 450, noNaN: true })
  const wPrime = fc.double({ min: 5000, max: 40_000, noNaN: true })
  const durations = fc.uniqueArray(fc.integer({ min: 60, max: 3600 }), {
    minLength: 2,
    maxLength: 8,
  })

  test.prop([
    fc.tuple(cp, wPrime, durations, fc.constantFrom('work-time' as const, 'inverse-time' as const)),
  ])(
    'critical power recovers CP and W′ from efforts on the model',
    ([criticalPower, capacity, seconds, model]) => {
      const efforts = seconds.map((durationSec) => ({
        durationSec,
        power: criticalPower + capacity / durationSec,
      }))
      const fit = performance.criticalPower(efforts, { model })
      expect(fit?.cp).toBeCloseTo(criticalPower, 6)
      expect(Math.abs((fit?.wPrime ?? 0) - capacity)).toBeLessThan(capacity * 1e-8)
      expect(fit?.valid).toBe(true)
    },
  )

  test.prop([
    fc.tuple(
      fc.array(power, { minLength: 1, maxLength: 600 }),
      cp,
      wPrime,
      fc.constantFrom('differential' as const, 'integral' as const),
    ),
  ])(
    'W′ balance is finite, never above W′ and its minimum is the lowest value',
    ([ride, criticalPower, capacity, model]) => {
      const result = performance.wPrimeBalance(ride, { cp: criticalPower, wPrime: capacity, model })
      if (result === null) throw new Error('a non-empty ride has a balance')
      expect(allFinite(result)).toBe(true)
      expect(Math.max(...result.balance)).toBeLessThanOrEqual(capacity * (1 + 1e-12))
      expect(result.minimum).toBe(Math.min(...result.balance))
      expect(result.balance[result.minimumIndex]).toBe(result.minimum)
    },
  )

  test.prop([fc.array(power, { minLength: 1, maxLength: 400 })])(
    'the mean-maximal curve matches a brute-force search and never rises along divisor durations',
    (ride) => {
      // Monotone only when each duration divides the next: [1, 0, 1, 0, 1] has a best 2-s mean of
      // 0.5 and a best 3-s mean of 2/3.
      const durations = [1, 2, 4, 8, 16, 32, 64, 128, 256]
      const curve = performance.meanMaximalPower(ride, durations)
      let previous = Number.POSITIVE_INFINITY
      curve.forEach(({ durationSec, power: best }) => {
        if (durationSec > ride.length) {
          expect(best).toBeNull()
          return
        }
        let brute = 0
        for (let start = 0; start + durationSec <= ride.length; start++) {
          let sum = 0
          for (let index = start; index < start + durationSec; index++) sum += ride[index] as number
          brute = Math.max(brute, sum / durationSec)
        }
        expect(best).toBeCloseTo(brute, 9)
        expect(best as number).toBeLessThanOrEqual(previous + 1e-9)
        previous = best as number
      })
    },
  )
})

describe('heart-rate and VO2max properties', () => {
  const method = fc.constantFrom<MaxHrMethod>('tanaka', 'fox', 'nes', 'gellish', 'gulati')

  test.prop([fc.double({ min: 1, max: 119, noNaN: true }), method])(
    'predicted maximum heart rate falls with age',
    (age, maxHrMethod) => {
      expect(performance.maxHr(age + 1, { method: maxHrMethod })).toBeLessThan(
        performance.maxHr(age, { method: maxHrMethod }),
      )
    },
  )

  test.prop([
    fc.double({ min: 505, max: 6000, noNaN: true }),
    fc.integer({ min: 100, max: 250 }),
    fc.integer({ min: 20, max: 99 }),
  ])('VO2max estimates are finite and positive for valid inputs', (distanceM, maxHr, restingHr) => {
    expect(performance.vo2max.cooper(distanceM)).toBeGreaterThan(0)
    expect(performance.vo2max.uth(maxHr, restingHr)).toBeGreaterThan(0)
  })
})
