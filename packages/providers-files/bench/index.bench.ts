import { mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { Bench } from 'tinybench'
import { createMemoryActivityStore, importFiles, parseFit, parseGpx } from '../src/index.js'
import { encodeFit, encodeGpx } from '../test/support.js'

// A 2-hour run recorded at 1 Hz: 7200 samples with position, altitude, HR, cadence, power.
const track = { startMs: Date.UTC(2025, 2, 14, 11), seconds: 7200, sport: 'running' } as const
const fit = encodeFit(track)
const gpx = encodeGpx(track)
const folder = mkdtempSync(join(tmpdir(), 'providers-files-bench-'))
writeFileSync(join(folder, 'run.fit'), fit)
writeFileSync(join(folder, 'run.gpx'), gpx)

const bench = new Bench({ iterations: 20, warmupIterations: 3 })
bench
  .add('parseFit, 2 h at 1 Hz', () => {
    parseFit(fit)
  })
  .add('parseGpx, 2 h at 1 Hz', () => {
    parseGpx(gpx)
  })
  .add('importFiles, folder of one FIT and one GPX (2 h at 1 Hz each)', async () => {
    await importFiles([folder], { store: createMemoryActivityStore() })
  })
try {
  await bench.run()
} finally {
  rmSync(folder, { recursive: true, force: true })
}

console.log(`FIT ${(fit.length / 1024).toFixed(0)} KiB, GPX ${(gpx.length / 1024).toFixed(0)} KiB`)
for (const task of bench.tasks) {
  const meanMs = task.result?.latency?.mean ?? Number.NaN
  const activities = task.name.startsWith('importFiles') ? 2 : 1
  const samples = activities * track.seconds
  console.log(task.name)
  console.log(
    `  mean ${meanMs.toFixed(1)} ms: ${((activities * 1000) / meanMs).toFixed(1)} activities/s, ${((samples * 1000) / meanMs / 1e6).toFixed(2)} M samples/s`,
  )
}
