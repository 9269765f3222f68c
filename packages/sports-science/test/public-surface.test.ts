import { expect, it } from 'vitest'

it('exports exactly these names', async () => {
  const surface = await import('../src/index.js')
  expect(Object.keys(surface).sort()).toMatchInlineSnapshot(`
    [
      "SportsScienceError",
      "fitness",
      "goals",
      "isSportsScienceError",
      "load",
      "nutrition",
      "patterns",
      "performance",
      "recovery",
      "stats",
      "validation",
      "zones",
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

it('exposes exactly these load functions', async () => {
  const { load } = await import('../src/index.js')
  expect(Object.keys(load).sort()).toMatchInlineSnapshot(`
    [
      "activityLoad",
      "acwr",
      "averagePower",
      "classifyTsb",
      "ewmaAlpha",
      "formPercent",
      "hrTss",
      "intensityFactor",
      "minettiCost",
      "monotonyStrain",
      "normalizedGradedSpeed",
      "normalizedPower",
      "overtrainingRisk",
      "pmc",
      "powerStreamSummary",
      "powerTss",
      "projectForm",
      "recommendedRecoveryDays",
      "restForTargetTsb",
      "runningTss",
      "sessionRpe",
      "swimTss",
      "trimpBanister",
      "trimpBanisterStream",
      "trimpEdwards",
      "trimpLucia",
      "variabilityIndex",
      "workKj",
    ]
  `)
  expect(Object.values(load).every((value) => typeof value === 'function')).toBe(true)
})

it('exposes exactly these performance functions', async () => {
  const { performance } = await import('../src/index.js')
  expect(Object.keys(performance).sort()).toMatchInlineSnapshot(`
    [
      "aerobicDecoupling",
      "bestPerformance",
      "criticalPower",
      "criticalPowerFromPowerCurve",
      "danielsPaces",
      "efficiencyFactor",
      "equivalentRaceTime",
      "ftpFromTest",
      "lthr",
      "maxHr",
      "maxHrDetails",
      "meanMaximalPace",
      "meanMaximalPower",
      "raceTimeDetails",
      "raceTimeFromVdot",
      "riegel",
      "riegelDetails",
      "vVo2max",
      "vdotDetails",
      "vdotFromRace",
      "vo2max",
      "wPrimeBalance",
    ]
  `)
  expect(Object.keys(performance.vo2max).sort()).toMatchInlineSnapshot(`
    [
      "cooper",
      "fromVdot",
      "rockport",
      "uth",
    ]
  `)
  expect(Object.keys(performance.lthr).sort()).toMatchInlineSnapshot(`
    [
      "friel30",
      "fromMaxHr",
      "fromRace",
    ]
  `)
})

it('exposes exactly these zones functions', async () => {
  const { zones } = await import('../src/index.js')
  expect(Object.keys(zones).sort()).toMatchInlineSnapshot(`
    [
      "classify",
      "classifyPace",
      "danielsPaces",
      "heartRateKarvonen",
      "heartRateLthr",
      "heartRatePercentMax",
      "pace",
      "power",
      "timeInZones",
    ]
  `)
  expect(Object.values(zones).every((value) => typeof value === 'function')).toBe(true)
})

it('exposes exactly these recovery functions', async () => {
  const { recovery } = await import('../src/index.js')
  expect(Object.keys(recovery).sort()).toMatchInlineSnapshot(`
    [
      "aggregate",
      "bedtime",
      "hrvLnStatus",
      "hrvStatus",
      "readiness",
      "restDayRecommendation",
      "score",
      "sleepDebt",
      "sleepDurationScore",
      "sleepEfficiencyScore",
      "sleepQuality",
      "sleepStageScore",
      "sleepTarget",
      "sleepTrend",
      "tsbScore",
    ]
  `)
  expect(Object.values(recovery).every((value) => typeof value === 'function')).toBe(true)
})

it('exposes exactly these stats functions', async () => {
  const { stats } = await import('../src/index.js')
  expect(Object.keys(stats).sort()).toMatchInlineSnapshot(`
    [
      "confidenceLevel",
      "ema",
      "emaSpan",
      "linearRegression",
      "mean",
      "median",
      "modifiedZScores",
      "pearson",
      "pointsFromDates",
      "populationSd",
      "populationVariance",
      "regressionInterval",
      "sampleSd",
      "sampleVariance",
      "sma",
      "smaCentred",
      "trend",
    ]
  `)
  expect(Object.values(stats).every((value) => typeof value === 'function')).toBe(true)
})

it('exposes exactly these patterns functions', async () => {
  const { patterns } = await import('../src/index.js')
  expect(Object.keys(patterns).sort()).toMatchInlineSnapshot(`
    [
      "consecutiveTrainingDays",
      "hardEasyPattern",
      "isHard",
      "overtrainingSignals",
      "scheduleConsistency",
      "trainingGaps",
      "volumeProgression",
      "weeklySchedule",
      "weeklyVolumes",
    ]
  `)
  expect(Object.values(patterns).every((value) => typeof value === 'function')).toBe(true)
})

it('exposes exactly these goals functions', async () => {
  const { goals } = await import('../src/index.js')
  expect(Object.keys(goals).sort()).toMatchInlineSnapshot(`
    [
      "adjustment",
      "distanceFeasibility",
      "feasibility",
      "progress",
    ]
  `)
  expect(Object.values(goals).every((value) => typeof value === 'function')).toBe(true)
})

it('exposes exactly these fitness functions', async () => {
  const { fitness } = await import('../src/index.js')
  expect(Object.keys(fitness).sort()).toMatchInlineSnapshot(`
    [
      "applyRecoveryAdjustment",
      "combine",
      "consistencyScore",
      "paceImprovementPercent",
      "performanceScore",
      "score",
    ]
  `)
  expect(Object.values(fitness).every((value) => typeof value === 'function')).toBe(true)
})

it('exposes exactly these validation functions', async () => {
  const { validation } = await import('../src/index.js')
  expect(Object.keys(validation).sort()).toMatchInlineSnapshot(`
    [
      "validateProfile",
    ]
  `)
  expect(Object.values(validation).every((value) => typeof value === 'function')).toBe(true)
})
