import { fitness, goals, patterns, recovery, stats, validation } from '../src/index.js'
import {
  createPrinter,
  describeReadmeExamples,
  type ReadmeExample,
} from './support/readme-examples.js'

// Each function holds one README example verbatim between region markers; the tests check that the
// README shows exactly that code and that it prints what its comments say.

const { console, printed } = createPrinter()

const examples: Record<string, ReadmeExample> = {
  recovery: {
    imports: "import { recovery } from '@pierre/sports-science'",
    run() {
      // #region recovery
      const night = {
        durationHours: 7.5,
        deepHours: 1.5,
        remHours: 1.8,
        lightHours: 3.9,
        efficiencyPercent: 88,
      }
      console.log(recovery.sleepQuality(night).overall) // 95
      const hrv = { currentRmssd: 52, recentRmssd: [50, 50, 50] }
      const today = recovery.score({ tsb: -5, sleep: night, hrv })
      console.log(today.overall, today.category, today.readiness) // 81 good readyForModerate
      const targetHours = recovery.sleepTarget({ tsb: -12, atl: 80 })
      console.log(targetHours, recovery.bedtime({ wake: '06:30', targetHours })) // 8.5 21:45
      // #endregion recovery
    },
  },
  stats: {
    imports: "import { stats } from '@pierre/sports-science'",
    run() {
      // #region stats
      const points = stats.pointsFromDates([
        { date: '2024-03-01', value: 250 },
        { date: '2024-03-09', value: 254 },
        { date: '2024-03-15', value: 256 },
        { date: '2024-03-29', value: 263 },
      ])
      const fit = stats.linearRegression(points)
      console.log(fit?.slope.toFixed(3), fit?.r2.toFixed(3), fit?.pValue?.toFixed(4)) // 0.459 0.997 0.0017
      console.log(stats.trend(points)?.direction) // improving
      console.log(stats.sma([1, 2, 3, 4, 5, 6], 3)) // [ null, null, 2, 3, 4, 5 ]
      console.log(stats.modifiedZScores([10, 11, 12, 11, 10, 11, 40]).outliers) // [ 6 ]
      // #endregion stats
    },
  },
  patterns: {
    imports: "import { patterns } from '@pierre/sports-science'",
    run() {
      // #region patterns
      const runs = [1, 3, 5, 8, 10, 12].map((day, index) => ({
        start: `2024-01-${String(day).padStart(2, '0')}T07:00`,
        durationSec: 3600,
        distanceM: 10_000 + 1000 * index,
        avgHr: index % 2 === 0 ? 165 : 135,
        sport: 'run',
      }))
      console.log(patterns.weeklySchedule(runs).mostCommonDays) // [ 'monday', 'wednesday', 'friday' ]
      console.log(patterns.hardEasyPattern(runs, { lthr: 170 }).summary) // alternating
      const { volumes } = patterns.weeklyVolumes(runs)
      console.log(volumes, patterns.volumeProgression(volumes).spikeWeeks) // [ 33, 42 ] [ 1 ]
      console.log(patterns.consecutiveTrainingDays(['2024-01-10', '2024-01-11'], '2024-01-12')) // 2
      // #endregion patterns
    },
  },
  goals: {
    imports: "import { goals } from '@pierre/sports-science'",
    run() {
      // #region goals
      console.log(
        goals.feasibility({ currentLevel: 100, targetValue: 115, timeframeDays: 90 }).feasible,
      ) // true
      const goal = {
        targetValue: 2400,
        createdDate: '2024-01-01',
        targetDate: '2024-04-10',
        direction: 'lowerIsBetter',
        baselineValue: 2700,
      } as const
      const progress = goals.progress(goal, 2550, '2024-02-20')
      console.log(progress.percent, progress.onTrack, progress.completionEstimate) // 50 true 2024-04-10
      console.log(goals.adjustment(goal, progress).action) // none
      // #endregion goals
    },
  },
  fitness: {
    imports: "import { fitness } from '@pierre/sports-science'",
    run() {
      // #region fitness
      console.log(fitness.combine({ ctl: 75, consistencyScore: 80, performanceScore: 60 }))
      // { ctlScore: 50, score: 62, level: 'Good' }
      console.log(fitness.applyRecoveryAdjustment({ score: 62, sleepScore: 92 })) // 65
      // #endregion fitness
    },
  },
  validation: {
    imports: "import { validation } from '@pierre/sports-science'",
    run() {
      // #region validation
      const check = validation.validateProfile({ maxHr: 225, restingHr: 28, ftp: 900 })
      console.log(
        check.valid,
        check.errors.map((issue) => issue.message),
      )
      // false [ 'ftp must be from 30 to 700 (W), received 900' ]
      console.log(check.warnings.map((issue) => issue.field)) // [ 'maxHr', 'restingHr' ]
      // #endregion validation
    },
  },
}

describeReadmeExamples(new URL(import.meta.url), examples, printed)
