import { readFileSync } from 'node:fs'
import { formatWithOptions } from 'node:util'
import { describe, expect, it } from 'vitest'
import { isSportsScienceError, nutrition } from '../src/index.js'

const printed: string[] = []

// The README's Usage example, verbatim between the region markers (the second test checks that).
function runUsage(): void {
  // Prints like Node's console.log, into `printed`, so the comments can be checked.
  const console = {
    log: (...values: unknown[]) => printed.push(formatWithOptions({ colors: false }, ...values)),
  }
  // #region usage
  const body = { weightKg: 70, heightCm: 175, ageYears: 35, sex: 'male' } as const
  const bmr = nutrition.bmr(body)
  const tdee = nutrition.tdee(bmr, 'veryActive')
  console.log(bmr, tdee) // 1623.75 2800.96875
  console.log(nutrition.calorieTarget({ bmr, tdee, goal: 'weightLoss' }))
  // { kcal: 2300.96875, rule: 'tdee_minus_500' }
  const person = { ...body, activityLevel: 'veryActive', goal: 'endurancePerformance' } as const
  const needs = nutrition.dailyNeeds(person)
  console.log(needs.proteinG, needs.carbsG, needs.energyGapKcal) // 140 420.19375 0
  const timing = nutrition.nutrientTiming({ weightKg: 70, hoursBefore: 3, durationMin: 90 })
  console.log(timing.preCarbsG, timing.duringCarbsGPerHour, timing.postProteinG) // 210 45 21
  try {
    nutrition.bmr({ ...body, weightKg: -5 })
  } catch (error) {
    if (isSportsScienceError(error)) console.log(error.code, error.details)
    // INVALID_INPUT { field: 'weightKg' }
  }
  // #endregion usage
}

function region(): string[] {
  const source = readFileSync(new URL(import.meta.url), 'utf8').split('\n')
  const start = source.findIndex((line) => line.trim() === '// #region usage')
  const end = source.findIndex((line) => line.trim() === '// #endregion usage')
  const lines = source.slice(start + 1, end)
  const indent = Math.min(...lines.map((line) => line.length - line.trimStart().length))
  return lines.map((line) => line.slice(indent))
}

function readmeUsage(): string[] {
  const readme = readFileSync(new URL('../README.md', import.meta.url), 'utf8')
  const usage = readme.slice(readme.indexOf('## Usage'))
  const start = usage.indexOf('```ts\n') + '```ts\n'.length
  return usage.slice(start, usage.indexOf('\n```', start)).split('\n')
}

describe('README usage', () => {
  it('prints what its comments say', () => {
    printed.length = 0
    runUsage()
    const comments = region()
      .map((line) => /\/\/ (.*)$/.exec(line)?.[1])
      .filter((comment): comment is string => comment !== undefined)
    expect(printed).toEqual(comments)
  })

  it('is the code of this test, after the import line, at most 20 lines', () => {
    const [importLine, blank, ...code] = readmeUsage()
    expect(importLine).toBe(
      "import { isSportsScienceError, nutrition } from '@pierre/sports-science'",
    )
    expect(blank).toBe('')
    expect(code).toEqual(region())
    expect(code.length + 2).toBeLessThanOrEqual(20)
  })
})
