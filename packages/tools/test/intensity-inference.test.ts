import { createProviderRegistry, type ProviderRegistry } from '@pierre/providers-core'
import { createSyntheticBundle } from '@pierre/providers-synthetic'
import { describe, expect, it } from 'vitest'
import { builtinTools, createToolCatalog, type ToolContext } from '../src/index.js'
import { inferIntensity } from '../src/nutrition/intensity.js'

const now = new Date('2025-03-15T00:00:00Z')

function contextWith(registry?: ProviderRegistry): ToolContext {
  return {
    tenantId: 'local',
    userId: 'athlete-1',
    signal: new AbortController().signal,
    progress: () => {},
    now: () => now,
    ...(registry === undefined
      ? {}
      : {
          providers: {
            names: () => registry.list(),
            get: (name: string) =>
              registry.create(name, { tenantId: 'local', userId: 'athlete-1', now: () => now }),
          },
        }),
  }
}

const activity = (hours: number, heartRate: number | null) =>
  ({
    duration_seconds: hours * 3600,
    moving_time_seconds: hours * 3600,
    average_heart_rate: heartRate,
  }) as never

describe('inferIntensity (tools spec §2.7.2)', () => {
  it.for([
    { name: 'no activities → moderate', activities: [], days: 7, expected: 'moderate' },
    {
      name: '15 h in 7 days (2.14 h/day) → high',
      activities: [activity(15, 120)],
      days: 7,
      expected: 'high',
    },
    {
      name: '14 h in 7 days (exactly 2 h/day) → moderate',
      activities: [activity(14, 120)],
      days: 7,
      expected: 'moderate',
    },
    { name: 'mean HR 151 → high', activities: [activity(1, 151)], days: 7, expected: 'high' },
    {
      name: 'mean HR 130 → moderate',
      activities: [activity(1, 130)],
      days: 7,
      expected: 'moderate',
    },
    {
      name: '7 h in 7 days, HR 120 → moderate',
      activities: [activity(7, 120)],
      days: 7,
      expected: 'moderate',
    },
    {
      name: '3 h in 7 days, HR 125 → low',
      activities: [activity(3, 125)],
      days: 7,
      expected: 'low',
    },
    {
      name: 'no heart rate, 1 h in 7 days → low',
      activities: [activity(1, null)],
      days: 7,
      expected: 'low',
    },
  ])('$name', ({ activities, days, expected }) => {
    expect(inferIntensity(activities, days).intensity).toBe(expected)
  })

  it('reports the averages it used', () => {
    const inference = inferIntensity([activity(2, 140), activity(1, 150)], 3)
    expect(inference).toEqual({
      intensity: 'moderate',
      daysBack: 3,
      activitiesConsidered: 2,
      avgHoursPerDay: 1,
      avgHeartRate: 145,
    })
  })
})

describe('get_nutrient_timing with activity_provider', () => {
  const catalog = createToolCatalog(builtinTools)
  const registry = createProviderRegistry([createSyntheticBundle({ seed: 7 })])

  it('infers the intensity from the synthetic athlete and says how', async () => {
    const provider = registry.create('synthetic', {
      tenantId: 'local',
      userId: 'athlete-1',
      now: () => now,
    })
    const after = Math.floor(now.getTime() / 1000) - 7 * 86_400
    const recent = await provider.getActivities({ after, limit: 50 })
    const expected = inferIntensity(recent, 7)

    const outcome = await catalog.call(
      'get_nutrient_timing',
      { weight_kg: 70, daily_protein_g: 140, activity_provider: 'Synthetic' },
      contextWith(registry),
    )
    if (outcome.kind !== 'success') throw new Error(JSON.stringify(outcome))
    expect(recent.length).toBeGreaterThan(0)
    expect(outcome.structuredContent).toMatchObject({
      intensity_source: 'inferred',
      workout_intensity: expected.intensity,
      inference: {
        provider: 'synthetic',
        days_back: 7,
        activities_considered: recent.length,
      },
    })
  })

  it('answers an unknown provider with unknown_provider listing the supported ones', async () => {
    const outcome = await catalog.call(
      'get_nutrient_timing',
      { weight_kg: 70, daily_protein_g: 140, activity_provider: 'nope' },
      contextWith(registry),
    )
    expect(outcome).toMatchObject({
      kind: 'error',
      error: { code: 'unknown_provider', details: { supported: ['synthetic'] } },
    })
  })

  it('falls back to the explicit intensity when the provider cannot be read', async () => {
    const outcome = await catalog.call(
      'get_nutrient_timing',
      { weight_kg: 70, daily_protein_g: 140, activity_provider: 'nope', workout_intensity: 'high' },
      contextWith(registry),
    )
    expect(outcome).toMatchObject({
      kind: 'success',
      structuredContent: {
        intensity_source: 'explicit',
        workout_intensity: 'high',
        inference: null,
        warnings: ['could not read nope; used the given workout_intensity instead'],
      },
    })
  })

  it('requires an intensity or a provider, listing it with the other problems', async () => {
    const outcome = await catalog.call('get_nutrient_timing', { weight_kg: 70 }, contextWith())
    expect(outcome).toMatchObject({
      kind: 'error',
      error: {
        code: 'invalid_argument',
        details: {
          issues: [
            { path: 'daily_protein_g', message: 'is required' },
            {
              path: 'workout_intensity',
              message: 'give workout_intensity, or activity_provider to infer it',
            },
          ],
        },
      },
    })
  })

  it('publishes the either-or rule in the input schema', () => {
    const descriptor = catalog.list().find((tool) => tool.name === 'get_nutrient_timing')
    expect(descriptor?.inputSchema.anyOf).toEqual([
      { required: ['workout_intensity'] },
      { required: ['activity_provider'] },
    ])
    expect(descriptor?.inputSchema.required).toEqual(['weight_kg', 'daily_protein_g'])
  })
})
