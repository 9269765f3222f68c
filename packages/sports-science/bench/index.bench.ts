// Speed of the stream and day-series functions (issue 3 "Speed"). Run: pnpm bench.
// Prints ns per sample for each task, its ratio to the floor (one plain pass summing the same
// Float64Array) and, for normalized power, the speed-up over the naive rolling-window method.
import { Bench } from 'tinybench'
import { type LoadEntry, load, performance } from '../src/index.js'

const rideSamples = 4 * 3600

/** Deterministic pseudo-random numbers (mulberry32), so every run rides the same course. */
function random(seed: number): () => number {
  let state = seed >>> 0
  return () => {
    state = (state + 0x6d2b79f5) >>> 0
    let t = state
    t = Math.imul(t ^ (t >>> 15), t | 1)
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61)
    return ((t ^ (t >>> 14)) >>> 0) / 4_294_967_296
  }
}

/** A 1-Hz ride: endurance pace with slow drift, noise, 5-min intervals, sprints and coasting. */
function makeRide(samples: number, seed: number): Float64Array {
  const next = random(seed)
  const ride = new Float64Array(samples)
  for (let second = 0; second < samples; second++) {
    const inInterval = second % 1800 >= 1200 && second % 1800 < 1500
    const sprint = second % 900 < 10
    const coasting = next() < 0.05
    const base = 200 + 40 * Math.sin(second / 600) + (inInterval ? 120 : 0) + (sprint ? 600 : 0)
    ride[second] = coasting ? 0 : Math.max(0, base + (next() - 0.5) * 80)
  }
  return ride
}

/** The textbook NP: for every 30-s window, re-sum the 30 samples (O(n·w)). */
function naiveNormalizedPower(power: Float64Array): number {
  const window = 30
  let total = 0
  for (let end = window - 1; end < power.length; end++) {
    let sum = 0
    for (let index = end - window + 1; index <= end; index++) sum += power[index] as number
    const mean = sum / window
    total += mean * mean * mean * mean
  }
  return (total / (power.length - window + 1)) ** 0.25
}

function floorSum(values: Float64Array): number {
  let sum = 0
  for (let index = 0; index < values.length; index++) sum += values[index] as number
  return sum
}

function tenYearsOfDailyLoads(): LoadEntry[] {
  const next = random(7)
  const start = Date.UTC(2015, 0, 1)
  const entries: LoadEntry[] = []
  for (let day = 0; day < 3653; day++) {
    if (day % 7 === 0) continue // a rest day a week
    const date = new Date(start + day * 86_400_000).toISOString().slice(0, 10)
    entries.push({ date, load: Math.round(30 + next() * 120) })
  }
  return entries
}

const ride = makeRide(rideSamples, 42)
const ride3h = makeRide(3 * 3600, 43)
const ride6h = makeRide(6 * 3600, 44)
const dailyLoads = tenYearsOfDailyLoads()
const pmcDays = 3653
const wPrimeOptions = { cp: 260, wPrime: 20_000 }

// Results are kept here so that no computation can be optimised away.
const sink: unknown[] = []

const bench = new Bench({ time: 800, warmupTime: 200 })
const perSample: Record<string, number> = {
  floor: rideSamples,
  'normalized power, one pass': rideSamples,
  'normalized power, naive': rideSamples,
  'pmc, 10 years of days': pmcDays,
  'mean-max curve, 12 durations': rideSamples,
  "W' balance, differential": rideSamples,
  "W' balance, integral": rideSamples,
  'normalized power, 3 h': 3 * 3600,
  'normalized power, 6 h': 6 * 3600,
  "W' balance, 3 h": 3 * 3600,
  "W' balance, 6 h": 6 * 3600,
}

bench
  .add('floor', () => {
    sink[0] = floorSum(ride)
  })
  .add('normalized power, one pass', () => {
    sink[1] = load.normalizedPower(ride)
  })
  .add('normalized power, naive', () => {
    sink[2] = naiveNormalizedPower(ride)
  })
  .add('pmc, 10 years of days', () => {
    sink[3] = load.pmc(dailyLoads, { to: '2025-01-01' })
  })
  .add('mean-max curve, 12 durations', () => {
    sink[4] = performance.meanMaximalPower(ride)
  })
  .add("W' balance, differential", () => {
    sink[5] = performance.wPrimeBalance(ride, wPrimeOptions)
  })
  .add("W' balance, integral", () => {
    sink[6] = performance.wPrimeBalance(ride, { ...wPrimeOptions, model: 'integral' })
  })
  .add('normalized power, 3 h', () => {
    sink[7] = load.normalizedPower(ride3h)
  })
  .add('normalized power, 6 h', () => {
    sink[8] = load.normalizedPower(ride6h)
  })
  .add("W' balance, 3 h", () => {
    sink[9] = performance.wPrimeBalance(ride3h, wPrimeOptions)
  })
  .add("W' balance, 6 h", () => {
    sink[10] = performance.wPrimeBalance(ride6h, wPrimeOptions)
  })

await bench.run()

const nsPerSample = new Map<string, number>()
for (const task of bench.tasks) {
  const latency = task.result?.latency
  if (latency === undefined) throw new Error(`${task.name} produced no result`)
  const count = perSample[task.name]
  if (count === undefined) throw new Error(`no sample count for ${task.name}`)
  // Median latency in ms per call → ns per sample.
  nsPerSample.set(task.name, ((latency.p50 ?? latency.mean) * 1e6) / count)
}

function get(name: string): number {
  const value = nsPerSample.get(name)
  if (value === undefined) throw new Error(`no result for ${name}`)
  return value
}

const floor = get('floor')
const npFast = get('normalized power, one pass')
const npNaive = get('normalized power, naive')

console.log(`\n@pierre/sports-science benchmark — Node ${process.version}, ${process.arch}`)
console.log('4-hour ride = 14 400 samples at 1 Hz; PMC = 3653 days (ns per day).\n')
console.log('| task | ns per sample | × floor |')
console.log('| --- | ---: | ---: |')
for (const name of Object.keys(perSample)) {
  if (name.endsWith(' 3 h') || name.endsWith(' 6 h')) continue
  console.log(`| ${name} | ${get(name).toFixed(2)} | ${(get(name) / floor).toFixed(2)} |`)
}
const speedUp = npNaive / npFast
const ofFloor = npFast / floor
console.log(
  `\nNP speed-up over the naive method: ${speedUp.toFixed(1)}× (goal ≥ 20×: ${speedUp >= 20 ? 'met' : 'NOT met'})`,
)
console.log(
  `NP cost relative to the floor: ${ofFloor.toFixed(2)}× (goal ≤ 3×: ${ofFloor <= 3 ? 'met' : 'NOT met'})`,
)
const npLinear =
  (get('normalized power, 6 h') * 6 * 3600) / (get('normalized power, 3 h') * 3 * 3600)
const wbalLinear = (get("W' balance, 6 h") * 6 * 3600) / (get("W' balance, 3 h") * 3 * 3600)
console.log(
  `Linear time, 6-h / 3-h total: NP ${npLinear.toFixed(2)}, W' balance ${wbalLinear.toFixed(2)} (≈ 2 expected)`,
)
if (sink.length === 0) console.log('nothing ran')
