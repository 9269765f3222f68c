import { isAbsolute, relative } from 'node:path'
import type { ImportCounters, ImportSummary } from './import.js'

/** Where progress is drawn: stderr in the CLI. */
export interface ProgressOutput {
  write(text: string): unknown
  /** True on a terminal: the bar is redrawn in place. */
  readonly isTTY?: boolean | undefined
  /** Terminal width. */
  readonly columns?: number | undefined
}

/** Options of {@link createProgressBar}. */
export interface ProgressBarOptions {
  /** Least time between two drawings: 100 ms on a terminal, 2 s otherwise by default. */
  readonly intervalMs?: number
  /** Clock, ms. */
  readonly now?: () => number
}

/** Draws import progress; {@link ProgressBar.finish} draws the last state and ends the line. */
export interface ProgressBar {
  update(progress: ImportCounters): void
  finish(): void
}

const BAR_WIDTH = 24

function plural(count: number, word: string, many = `${word}s`): string {
  return `${count} ${count === 1 ? word : many}`
}

function describe(progress: ImportCounters): string {
  return `${progress.filesDone}/${progress.filesTotal} files, ${plural(progress.activitiesFound, 'activity', 'activities')} found, ${plural(progress.errors, 'error')}`
}

function bar(progress: ImportCounters): string {
  const ratio = progress.filesTotal === 0 ? 1 : progress.filesDone / progress.filesTotal
  const filled = Math.round(ratio * BAR_WIDTH)
  return `[${'#'.repeat(filled)}${'-'.repeat(BAR_WIDTH - filled)}] ${String(Math.floor(ratio * 100)).padStart(3)}%`
}

/**
 * A progress bar for `pierre-server import`: on a terminal one line redrawn in place (at most every
 * 100 ms), elsewhere (a pipe, a CI log) a plain line at most every 2 s; both end with the final
 * counts.
 */
export function createProgressBar(
  output: ProgressOutput,
  options: ProgressBarOptions = {},
): ProgressBar {
  const tty = output.isTTY === true
  const interval = options.intervalMs ?? (tty ? 100 : 2000)
  const now = options.now ?? Date.now
  let last: ImportCounters | undefined
  let drawnAt = Number.NEGATIVE_INFINITY
  let drawn: ImportCounters | undefined

  function draw(progress: ImportCounters): void {
    drawnAt = now()
    drawn = progress
    if (tty) {
      const columns = output.columns !== undefined && output.columns > 0 ? output.columns : 80
      const width = Math.max(20, columns - 1)
      output.write(`\r\x1b[2K${`${bar(progress)} ${describe(progress)}`.slice(0, width)}`)
    } else {
      output.write(`import: ${describe(progress)}\n`)
    }
  }

  return {
    update(progress) {
      last = progress
      if (now() - drawnAt >= interval) draw(progress)
    },
    finish() {
      if (last !== undefined && last !== drawn) draw(last)
      if (tty && drawn !== undefined) output.write('\n')
    },
  }
}

function displayPath(file: string, cwd: string): string {
  const rel = relative(cwd, file)
  return rel !== '' && !rel.startsWith('..') && !isAbsolute(rel) ? rel : file
}

/** The summary printed after an import: counts, then each failed file with its reason. */
export function formatImportSummary(summary: ImportSummary, cwd: string): string {
  const lines = [
    `imported: ${plural(summary.filesImported, 'file')} (${plural(summary.activitiesImported, 'activity', 'activities')})`,
    `duplicates: ${plural(summary.filesDuplicate, 'file')} (already imported)`,
    `failed: ${plural(summary.failures.length, 'file')}`,
  ]
  for (const failure of summary.failures) {
    lines.push(`  ${displayPath(failure.file, cwd)}: ${failure.reason} (${failure.message})`)
  }
  return lines.join('\n')
}
