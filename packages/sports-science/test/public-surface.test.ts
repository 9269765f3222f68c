import { expect, it } from 'vitest'

it('exports exactly these names', async () => {
  const surface = await import('../src/index.js')
  expect(Object.keys(surface).sort()).toMatchInlineSnapshot(`
    [
      "SportsScienceError",
      "isSportsScienceError",
      "nutrition",
    ]
  `)
})

it('exposes exactly these nutrition functions', async () => {
  const { nutrition } = await import('../src/index.js')
  expect(Object.keys(nutrition).sort()).toMatchInlineSnapshot(`
    [
      "bmr",
      "bmrDetails",
      "calorieTarget",
      "carbTarget",
      "dailyNeeds",
      "exerciseKcalFromHeartRate",
      "exerciseKcalFromPower",
      "hydration",
      "mealTemplate",
      "nutrientTiming",
      "proteinTarget",
      "sweatRate",
      "tdee",
      "tdeeFromExercise",
    ]
  `)
  expect(Object.values(nutrition).every((value) => typeof value === 'function')).toBe(true)
})
