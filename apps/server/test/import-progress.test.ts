import { describe, expect, it } from 'vitest'
import type { ImportCounters } from '../src/import.js'
import { createProgressBar, formatImportSummary } from '../src/import-progress.js'

function counters(filesDone: number, filesTotal: number, errors = 0): ImportCounters {
  return {
    filesDone,
    filesTotal,
    activitiesFound: filesDone - errors,
    activitiesImported: filesDone - errors,
    duplicates: 0,
    errors,
    file: `/data/${filesDone}.gpx`,
  }
}

function sink(isTTY: boolean) {
  const writes: string[] = []
  return { writes, output: { isTTY, columns: 100, write: (text: string) => writes.push(text) } }
}

describe('the import progress bar', () => {
  it('redraws one line in place on a terminal, at most every interval, and ends it', () => {
    let now = 0
    const { writes, output } = sink(true)
    const bar = createProgressBar(output, { intervalMs: 100, now: () => now })
    bar.update(counters(1, 4))
    now = 50
    bar.update(counters(2, 4))
    now = 150
    bar.update(counters(3, 4, 1))
    now = 160
    bar.update(counters(4, 4, 1))
    bar.finish()
    expect(writes).toEqual([
      `\r\x1b[2K[######------------------]  25% 1/4 files, 1 activity found, 0 errors`,
      `\r\x1b[2K[##################------]  75% 3/4 files, 2 activities found, 1 error`,
      `\r\x1b[2K[########################] 100% 4/4 files, 3 activities found, 1 error`,
      '\n',
    ])
  })

  it('writes plain periodic lines elsewhere, and the final counts once', () => {
    let now = 0
    const { writes, output } = sink(false)
    const bar = createProgressBar(output, { now: () => now })
    for (let done = 1; done <= 10; done++) {
      now = done * 500
      bar.update(counters(done, 10))
    }
    bar.finish()
    bar.finish()
    expect(writes).toEqual([
      'import: 1/10 files, 1 activity found, 0 errors\n',
      'import: 5/10 files, 5 activities found, 0 errors\n',
      'import: 9/10 files, 9 activities found, 0 errors\n',
      'import: 10/10 files, 10 activities found, 0 errors\n',
    ])
  })

  it('draws nothing when no file was found', () => {
    const { writes, output } = sink(true)
    createProgressBar(output).finish()
    expect(writes).toEqual([])
  })
})

describe('the import summary', () => {
  it('counts files and activities and lists each failure with its reason', () => {
    const text = formatImportSummary(
      {
        filesTotal: 4,
        filesImported: 2,
        filesDuplicate: 1,
        activitiesImported: 3,
        activitiesDuplicate: 1,
        failures: [
          { file: '/home/ann/exports/bad.fit', reason: 'corrupt', message: 'bad CRC' },
          { file: '/elsewhere/x.txt', reason: 'unsupported', message: 'not an activity file' },
        ],
      },
      '/home/ann',
    )
    expect(text).toBe(
      [
        'imported: 2 files (3 activities)',
        'duplicates: 1 file (already imported)',
        'failed: 2 files',
        '  exports/bad.fit: corrupt (bad CRC)',
        '  /elsewhere/x.txt: unsupported (not an activity file)',
      ].join('\n'),
    )
  })
})
