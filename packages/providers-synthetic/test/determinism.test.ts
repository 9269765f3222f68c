import { collect } from '@pierre/providers-core'
import { describe, expect, it } from 'vitest'
import { createSeededRandom, createSyntheticProvider, hashString } from '../src/index.js'
import { anchor, fixedNow } from './support.js'

const range = { start: '2025-02-01T00:00:00Z', end: anchor }

async function snapshotOf(seed: number | string, now = fixedNow) {
  const provider = createSyntheticProvider({ seed, now, historyDays: 45 })
  const activities = await collect(provider.iterateActivities())
  const newest = activities[0]
  return {
    athlete: await provider.getAthlete(),
    activities,
    streams: newest === undefined ? undefined : await provider.getActivityStreams(newest.id),
    sleep: await provider.getSleepSessions(range),
    hrv: await provider.getHrv(range),
    daily: await provider.getDailySummaries(range),
    recovery: await provider.getRecoveryMetrics(range),
    health: await provider.getHealthMetrics(range),
  }
}

describe('determinism (specs/providers.md §7)', () => {
  it('gives byte-identical JSON for the same seed and clock', async () => {
    const first = JSON.stringify(await snapshotOf(42))
    const second = JSON.stringify(await snapshotOf(42))
    expect(second).toBe(first)
  })

  it('gives a different athlete and history for another seed', async () => {
    const [left, right] = await Promise.all([snapshotOf(42), snapshotOf(43)])
    expect(right.athlete).not.toEqual(left.athlete)
    expect(JSON.stringify(right.activities)).not.toBe(JSON.stringify(left.activities))
    expect(right.hrv).not.toEqual(left.hrv)
  })

  it('accepts string seeds', async () => {
    const provider = createSyntheticProvider({ seed: 'alice', now: fixedNow, historyDays: 7 })
    expect((await provider.getAthlete()).id).toBe('synthetic-alice')
  })

  it('keeps earlier days when the history grows or the clock moves on', async () => {
    const short = createSyntheticProvider({ seed: 7, now: fixedNow, historyDays: 20 })
    const later = createSyntheticProvider({
      seed: 7,
      now: () => new Date('2025-03-25T00:00:00Z'),
      historyDays: 60,
    })
    const before = Date.parse(anchor) / 1000
    const shortList = await collect(short.iterateActivities())
    const laterList = await collect(later.iterateActivities({ before }))
    expect(laterList.slice(0, shortList.length)).toEqual(shortList)
    const id = shortList[0]?.id as string
    expect(await later.getActivityStreams(id)).toEqual(await short.getActivityStreams(id))
    const nights = { start: '2025-03-01T00:00:00Z', end: anchor }
    const laterNights = await later.getSleepSessions(nights)
    const shortNights = await short.getSleepSessions(nights)
    expect(laterNights.map(({ hrv_during_sleep: _, ...night }) => night)).toEqual(
      shortNights.map(({ hrv_during_sleep: _, ...night }) => night),
    )
    // The load model starts settled, so a longer history moves HRV by well under 2 %.
    for (const [index, night] of laterNights.entries()) {
      const other = shortNights[index]?.hrv_during_sleep as number
      expect(Math.abs((night.hrv_during_sleep as number) / other - 1)).toBeLessThan(0.02)
    }
  })

  it('generates one activity the same whatever was generated before', async () => {
    const cold = createSyntheticProvider({ seed: 9, now: fixedNow, historyDays: 30 })
    const warm = createSyntheticProvider({ seed: 9, now: fixedNow, historyDays: 30 })
    const all = await collect(warm.iterateActivities())
    const oldest = all[all.length - 1]?.id as string
    expect(await cold.getActivity(oldest)).toEqual(all[all.length - 1])
  })

  it('seeds its generator from FNV-1a (32 bit) and sfc32', () => {
    expect(hashString('')).toBe(0x811c9dc5)
    expect(hashString('a')).toBe(0xe40c292c)
    const left = createSeededRandom('42|demo')
    const right = createSeededRandom('42|demo')
    const values = Array.from({ length: 1000 }, () => left.next())
    expect(Array.from({ length: 1000 }, () => right.next())).toEqual(values)
    for (const value of values) {
      expect(value).toBeGreaterThanOrEqual(0)
      expect(value).toBeLessThan(1)
    }
    const mean = values.reduce((sum, value) => sum + value, 0) / values.length
    expect(mean).toBeGreaterThan(0.45)
    expect(mean).toBeLessThan(0.55)
    const normal = createSeededRandom('normal')
    const draws = Array.from({ length: 4000 }, () => normal.normal(10, 2))
    const normalMean = draws.reduce((sum, value) => sum + value, 0) / draws.length
    const sd = Math.sqrt(
      draws.reduce((sum, value) => sum + (value - normalMean) ** 2, 0) / draws.length,
    )
    expect(normalMean).toBeCloseTo(10, 0)
    expect(sd).toBeGreaterThan(1.85)
    expect(sd).toBeLessThan(2.15)
  })
})
