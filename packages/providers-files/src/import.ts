import { readdir, readFile, stat } from 'node:fs/promises'
import { join, resolve } from 'node:path'
import { isProviderError, ProviderError } from '@pierre/providers-core'
import { z } from 'zod'
import { parseActivityFile } from './detect.js'
import { providerName } from './internal/build.js'
import type { ActivityStore } from './store.js'
import type { ParsedActivity } from './types.js'

/** Why a file was skipped. */
export type ImportFailureReason =
  | 'unsupported'
  | 'corrupt'
  | 'no_data'
  | 'invalid_values'
  | 'unreadable'

/** A file that was reported and skipped. */
export interface ImportFailure {
  /** The file's path as found (absolute). */
  readonly file: string
  readonly reason: ImportFailureReason
  /** What went wrong, for people. */
  readonly message: string
}

/** A file whose activity was already imported (same content hash). */
export interface ImportDuplicate {
  readonly file: string
  readonly activityId: string
}

/** The counters reported after each file. */
export interface ImportProgress {
  readonly filesTotal: number
  readonly filesDone: number
  /** Activities read so far, duplicates included. */
  readonly activitiesFound: number
  /** Activities newly added. */
  readonly activitiesImported: number
  readonly duplicates: number
  readonly errors: number
  /** The file just processed. */
  readonly file: string
}

/** Options of {@link importFiles}. */
export interface ImportOptions {
  /** Receives new activities; an activity whose id it already has is a duplicate and is skipped. */
  readonly store?: ActivityStore
  /** Called after each file. */
  readonly onProgress?: (progress: ImportProgress) => void
  /** Stops the import between files; it rejects with the signal's reason. */
  readonly signal?: AbortSignal
}

/** What {@link importFiles} did. */
export interface ImportResult {
  readonly filesTotal: number
  /** Activities newly imported, in file order. */
  readonly activities: readonly ParsedActivity[]
  readonly duplicates: readonly ImportDuplicate[]
  /** Files reported by name and skipped. */
  readonly errors: readonly ImportFailure[]
}

const pathsSchema = z.array(z.string().min(1))

const reasons: ReadonlySet<string> = new Set([
  'unsupported',
  'corrupt',
  'no_data',
  'invalid_values',
])

function toFailure(file: string, error: unknown): ImportFailure {
  if (isProviderError(error)) {
    const reason = (error as ProviderError).details?.reason
    return {
      file,
      reason:
        typeof reason === 'string' && reasons.has(reason)
          ? (reason as ImportFailureReason)
          : 'corrupt',
      message: (error as ProviderError).message,
    }
  }
  const code = (error as { code?: unknown } | null)?.code
  if (typeof code === 'string' && /^E[A-Z]+$/.test(code)) {
    return { file, reason: 'unreadable', message: `the file cannot be read (${code})` }
  }
  return {
    file,
    reason: 'corrupt',
    message: `the file cannot be parsed: ${String((error as Error | null)?.message ?? error).slice(0, 200)}`,
  }
}

async function expand(path: string, into: string[], failures: ImportFailure[]): Promise<void> {
  let info: Awaited<ReturnType<typeof stat>>
  try {
    info = await stat(path)
  } catch (error) {
    failures.push(toFailure(path, error))
    return
  }
  if (!info.isDirectory()) {
    into.push(path)
    return
  }
  const entries = await readdir(path, { withFileTypes: true })
  const names = entries
    .filter((entry) => !entry.name.startsWith('.'))
    .sort((left, right) => (left.name < right.name ? -1 : left.name > right.name ? 1 : 0))
  for (const entry of names) {
    const full = join(path, entry.name)
    if (entry.isDirectory()) await expand(full, into, failures)
    else if (entry.isFile()) into.push(full)
  }
}

/**
 * Imports FIT, GPX and TCX files (gzipped or not) and folders of them, recursively (hidden entries
 * are skipped). The format is detected from the content, else the extension. A file that is
 * missing, unreadable, corrupt or of another kind is reported by name with a reason and skipped;
 * the import never stops for one file. Ids are content hashes, so a file imported twice (even
 * renamed) is counted as a duplicate and not added again.
 *
 * @param paths - files and folders.
 * @returns the new activities, the duplicates and the skipped files.
 * @throws ProviderError `invalid_argument` when `paths` is not an array of strings; the signal's
 *   reason when it aborts.
 * @example
 * ```ts
 * const store = createMemoryActivityStore()
 * const result = await importFiles(['./exports'], { store, onProgress: (p) => draw(p) })
 * ```
 */
export async function importFiles(
  paths: readonly string[],
  options: ImportOptions = {},
): Promise<ImportResult> {
  const checked = pathsSchema.safeParse(paths)
  if (!checked.success) {
    const issues = checked.error.issues.map((issue) => ({
      path: issue.path.map(String).join('.'),
      message: issue.message,
    }))
    throw new ProviderError(
      'invalid_argument',
      `paths must be an array of non-empty strings: ${issues.map((issue) => `${issue.path || '(root)'} ${issue.message}`).join('; ')}`.slice(
        0,
        300,
      ),
      { provider: providerName, details: { issues } },
    )
  }
  const { store, onProgress, signal } = options
  signal?.throwIfAborted()
  const files: string[] = []
  const errors: ImportFailure[] = []
  for (const path of paths) await expand(resolve(path), files, errors)
  const seen = new Set<string>()
  const activities: ParsedActivity[] = []
  const duplicates: ImportDuplicate[] = []
  let activitiesFound = 0
  let filesDone = 0
  for (const file of files) {
    signal?.throwIfAborted()
    try {
      const parsed = parseActivityFile(await readFile(file), { fileName: file })
      for (const entry of parsed) {
        activitiesFound += 1
        const id = entry.activity.id
        if (seen.has(id) || store?.has(id) === true) {
          duplicates.push({ file, activityId: id })
          continue
        }
        seen.add(id)
        store?.put(entry)
        activities.push(entry)
      }
    } catch (error) {
      errors.push(toFailure(file, error))
    }
    filesDone += 1
    onProgress?.({
      filesTotal: files.length,
      filesDone,
      activitiesFound,
      activitiesImported: activities.length,
      duplicates: duplicates.length,
      errors: errors.length,
      file,
    })
  }
  return { filesTotal: files.length, activities, duplicates, errors }
}
