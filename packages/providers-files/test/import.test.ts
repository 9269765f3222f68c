import { copyFileSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { gzipSync } from 'node:zlib'
import { describe, expect, it, onTestFinished, vi } from 'vitest'
import type { ImportProgress } from '../src/index.js'
import { createMemoryActivityStore, importFiles } from '../src/index.js'
import { encodeFit } from './support.js'

const fixtures = fileURLToPath(new URL('./fixtures/', import.meta.url))
const startMs = Date.UTC(2025, 2, 1, 7)

function temporaryFolder(): string {
  const folder = mkdtempSync(join(tmpdir(), 'providers-files-'))
  onTestFinished(() => rmSync(folder, { recursive: true, force: true }))
  return folder
}

function fillFolder(folder: string): void {
  mkdirSync(join(folder, 'nested', 'deeper'), { recursive: true })
  writeFileSync(join(folder, 'ride.fit'), encodeFit({ startMs, seconds: 120, sport: 'cycling' }))
  writeFileSync(
    join(folder, 'nested', 'run.fit.gz'),
    gzipSync(encodeFit({ startMs: startMs + 86_400_000, seconds: 90, sport: 'running' })),
  )
  copyFileSync(join(fixtures, 'morning-run.gpx'), join(folder, 'nested', 'morning-run.gpx'))
  copyFileSync(
    join(fixtures, 'evening-ride.tcx'),
    join(folder, 'nested', 'deeper', 'evening-ride.tcx'),
  )
  const broken = encodeFit({ startMs, seconds: 60, sport: 'running' })
  writeFileSync(join(folder, 'broken.fit'), broken.subarray(0, 200))
  writeFileSync(join(folder, 'notes.txt'), 'shopping list: bananas')
  writeFileSync(join(folder, 'half.gpx'), '<gpx><trk><trkseg><trkpt lat="1" lon="2">')
  writeFileSync(join(folder, '.DS_Store'), 'ignored')
}

describe('importFiles', () => {
  it('imports a folder recursively, reports progress and skips bad files by name', async () => {
    const folder = temporaryFolder()
    fillFolder(folder)
    const store = createMemoryActivityStore()
    const progress: ImportProgress[] = []
    const result = await importFiles([folder], {
      store,
      onProgress: (entry) => progress.push(entry),
    })
    expect(result.filesTotal).toBe(7)
    expect(result.activities.map((entry) => entry.format).sort()).toEqual([
      'fit',
      'fit',
      'gpx',
      'tcx',
    ])
    expect(store.size).toBe(4)
    expect(
      result.errors.map((error) => [error.file.slice(folder.length + 1), error.reason]),
    ).toEqual([
      ['broken.fit', 'corrupt'],
      ['half.gpx', 'corrupt'],
      ['notes.txt', 'unsupported'],
    ])
    for (const error of result.errors) expect(error.message.length).toBeGreaterThan(0)
    expect(progress).toHaveLength(7)
    expect(progress.map((entry) => entry.filesDone)).toEqual([1, 2, 3, 4, 5, 6, 7])
    expect(progress.at(-1)).toMatchObject({
      filesTotal: 7,
      filesDone: 7,
      activitiesFound: 4,
      activitiesImported: 4,
      duplicates: 0,
      errors: 3,
    })
  })

  it('does not import the same content twice, even renamed', async () => {
    const folder = temporaryFolder()
    const bytes = encodeFit({ startMs, seconds: 60, sport: 'running' })
    writeFileSync(join(folder, 'a.fit'), bytes)
    writeFileSync(join(folder, 'copy-of-a.fit'), bytes)
    const store = createMemoryActivityStore()
    const first = await importFiles([folder], { store })
    expect(first.activities).toHaveLength(1)
    expect(first.duplicates).toEqual([
      { file: join(folder, 'copy-of-a.fit'), activityId: first.activities[0]?.activity.id },
    ])
    const again = await importFiles([join(folder, 'a.fit')], { store })
    expect(again.activities).toHaveLength(0)
    expect(again.duplicates).toHaveLength(1)
    expect(store.size).toBe(1)
  })

  it('reports a missing path and goes on with the others', async () => {
    const folder = temporaryFolder()
    copyFileSync(join(fixtures, 'track-run.tcx'), join(folder, 'track-run.tcx'))
    const result = await importFiles([join(folder, 'missing.fit'), folder])
    expect(result.activities).toHaveLength(1)
    expect(result.errors).toEqual([
      expect.objectContaining({ file: join(folder, 'missing.fit'), reason: 'unreadable' }),
    ])
  })

  it('stops between files when the signal aborts', async () => {
    const folder = temporaryFolder()
    fillFolder(folder)
    const controller = new AbortController()
    const onProgress = vi.fn(() => controller.abort(new Error('stop')))
    await expect(importFiles([folder], { signal: controller.signal, onProgress })).rejects.toThrow(
      'stop',
    )
    expect(onProgress).toHaveBeenCalledTimes(1)
  })

  it('rejects paths that are not strings', async () => {
    await expect(importFiles([42 as unknown as string])).rejects.toMatchObject({
      code: 'invalid_argument',
    })
  })
})
