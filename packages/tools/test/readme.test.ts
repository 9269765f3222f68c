import { readFileSync } from 'node:fs'
import { expect, it } from 'vitest'
import { builtinTools, createToolCatalog } from '../src/index.js'

it('runs the README usage example', async () => {
  const readme = readFileSync(new URL('../README.md', import.meta.url), 'utf8')
  expect(readme).toContain(
    "console.log(outcome.kind === 'success' && outcome.structuredContent.tdee) // 2801",
  )

  const catalog = createToolCatalog(builtinTools)
  const context = {
    tenantId: 'local',
    userId: 'me',
    signal: new AbortController().signal,
    progress: () => {},
    now: () => new Date(),
  }
  const outcome = await catalog.call(
    'calculate_daily_nutrition',
    {
      weight_kg: 70,
      height_cm: 175,
      age: 35,
      gender: 'male',
      activity_level: 'very_active',
      training_goal: 'endurance_performance',
    },
    context,
  )
  expect(outcome.kind === 'success' && outcome.structuredContent.tdee).toBe(2801)
})
