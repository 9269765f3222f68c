import { load, performance, zones } from '../src/index.js'
import {
  createPrinter,
  describeReadmeExamples,
  type ReadmeExample,
} from './support/readme-examples.js'

// The README examples of load, performance and zones, verbatim between region markers: the tests
// check that the README shows exactly that code and that it prints what its comments say.

const { console, printed } = createPrinter()

const examples: Record<string, ReadmeExample> = {
  load: {
    imports: "import { load } from '@pierre/sports-science'",
    run() {
      // #region load
      const ride = new Float64Array(3600).fill(200).fill(320, 1200, 1800)
      const summary = load.powerStreamSummary(ride, { ftp: 280 })
      console.log(summary?.normalizedPower?.toFixed(1), summary?.tss?.toFixed(1)) // 235.5 70.7
      const athlete = { lthr: 170, restingHr: 50, maxHr: 190 }
      console.log(load.hrTss({ ...athlete, durationSec: 5400, avgHr: 150 })?.toFixed(1)) // 95.0
      const entries = [
        { date: '2025-03-01', load: 80 },
        { date: '2025-03-03', load: 120 },
        { date: '2025-03-03', load: 30 },
      ]
      const { current } = load.pmc(entries, { to: '2025-03-05' })
      console.log(current?.ctl.toFixed(2), current?.atl.toFixed(2), current?.tsb.toFixed(2))
      // 5.13 21.91 -20.31
      console.log(load.classifyTsb(current?.tsb ?? 0)) // overreaching
      const state = { date: '2025-03-05', ctl: 60, atl: 85 }
      const planned = [6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16].map((day) => ({
        date: `2025-03-${String(day).padStart(2, '0')}`,
        load: 90,
      }))
      const target = { targetTsb: 5, targetDate: '2025-03-16', planned }
      const taper = load.restForTargetTsb(state, target)
      console.log(taper?.restDays, taper?.restFrom, taper?.tsb.toFixed(1)) // 4 2025-03-12 10.6
      // #endregion load
    },
  },
  performance: {
    imports: "import { performance } from '@pierre/sports-science'",
    run() {
      // #region performance
      const vdot = performance.vdotFromRace(5000, 1200)
      console.log(vdot.toFixed(2), performance.raceTimeFromVdot(vdot, 42195).toFixed(0)) // 49.81 11477
      console.log(performance.riegel(21097.5, 5400, 42195).toFixed(1)) // 11258.6
      const paces = performance.danielsPaces(vdot)
      console.log(paces.thresholdSecPerKm.toFixed(1), paces.intervalSecPerKm.toFixed(1)) // 256.0 235.6
      const fit = performance.criticalPower([
        { durationSec: 180, power: 400 },
        { durationSec: 720, power: 300 },
      ])
      console.log(fit?.cp.toFixed(1), fit?.wPrime.toFixed(0), fit?.valid) // 266.7 24000 true
      const session = new Float64Array(1200).fill(150).fill(400, 300, 420)
      const model = { cp: fit?.cp ?? 0, wPrime: fit?.wPrime ?? 0 }
      const wbal = performance.wPrimeBalance(session, model)
      console.log(wbal?.minimum.toFixed(0), wbal?.minimumIndex, wbal?.final.toFixed(0)) // 8000 419 23639
      console.log(performance.maxHr(40), performance.maxHr(40, { method: 'fox' })) // 180 180
      // #endregion performance
    },
  },
  zones: {
    imports: "import { zones } from '@pierre/sports-science'",
    run() {
      // #region zones
      const power = zones.power({ ftp: 250 })
      console.log(power.starts) // [ 137.5, 187.5, 225, 262.5, 300, 375 ]
      console.log(power.labels[zones.classify(300, power.starts)]) // L6
      const hr = zones.heartRateKarvonen({ maxHr: 190, restingHr: 60 })
      console.log(zones.timeInZones([120, 130, 150, 180, null], hr.starts)) // [ 1, 1, 1, 0, 0, 1 ]
      const pace = zones.pace({ thresholdPaceSecPerKm: 240 })
      console.log(pace.labels[zones.classifyPace(250, pace.boundariesSecPerKm)]) // Z4
      // #endregion zones
    },
  },
}

describeReadmeExamples(new URL(import.meta.url), examples, printed)
