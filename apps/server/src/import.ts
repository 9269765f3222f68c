import {
  type ActivityStore,
  type ImportFailure,
  type ImportProgress,
  importFiles,
} from '@pierre/providers-files'
import type Database from 'better-sqlite3'
import { createImportedActivityStore, type ImportOwner } from './storage/imported-activities.js'

/** The counters shown while importing (files done out of the total, activities, errors). */
export type ImportCounters = ImportProgress

/** Options of {@link importActivityFiles}. */
export interface ImportActivityFilesOptions {
  /** The server database. */
  readonly db: Database.Database
  /** Whose activities they are. */
  readonly owner: ImportOwner
  /** Called after each file. */
  readonly onProgress?: (progress: ImportCounters) => void
  /** Stops between files; the import then rejects with the signal's reason. */
  readonly signal?: AbortSignal
}

/** The database refused a write: the import stops (the files are not at fault). */
export class ImportStorageError extends Error {
  constructor(options: { cause: unknown }) {
    super('cannot write the imported activities to the database', options)
    this.name = 'ImportStorageError'
  }
}

/** What {@link importActivityFiles} did. */
export interface ImportSummary {
  /** Files found under the paths (folders expanded). */
  readonly filesTotal: number
  /** Files that added at least one activity. */
  readonly filesImported: number
  /** Files whose every activity was already stored (same content). */
  readonly filesDuplicate: number
  readonly activitiesImported: number
  /** Activities found again (already stored, or twice in this run). */
  readonly activitiesDuplicate: number
  /** Paths that could not be imported (missing, unreadable, corrupt, unsupported), by name. */
  readonly failures: readonly ImportFailure[]
}

/**
 * Imports FIT, GPX and TCX files and folders (recursive) for one user into the server database,
 * streams included. Activities are keyed by the content hash of their file, so importing the same
 * file again (even renamed) counts it as a duplicate and stores nothing twice. A file that cannot
 * be read is listed in `failures` and skipped; the import never stops for one file.
 *
 * @throws {@link ImportStorageError} when the database refuses a write (the files done so far are
 *   kept); the signal's reason when it aborts.
 */
export async function importActivityFiles(
  paths: readonly string[],
  options: ImportActivityFilesOptions,
): Promise<ImportSummary> {
  const stored = createImportedActivityStore(options.db, options.owner)
  // A failed write is ours, not the file's: stop at once instead of reporting the file as corrupt.
  const storage = new AbortController()
  const store: ActivityStore = {
    has: (id) => stored.has(id),
    get: (id) => stored.get(id),
    list: () => stored.list(),
    get size() {
      return stored.size
    },
    put(parsed) {
      try {
        return stored.put(parsed)
      } catch (error) {
        storage.abort(new ImportStorageError({ cause: error }))
        throw error
      }
    },
  }
  const signal =
    options.signal === undefined
      ? storage.signal
      : AbortSignal.any([options.signal, storage.signal])
  let filesImported = 0
  let filesDuplicate = 0
  let previous = { imported: 0, duplicates: 0, errors: 0 }
  const result = await importFiles(paths, {
    store,
    signal,
    onProgress(progress) {
      const imported = progress.activitiesImported - previous.imported
      const duplicates = progress.duplicates - previous.duplicates
      const failed = progress.errors > previous.errors
      if (!failed && imported > 0) filesImported += 1
      else if (!failed && duplicates > 0) filesDuplicate += 1
      previous = {
        imported: progress.activitiesImported,
        duplicates: progress.duplicates,
        errors: progress.errors,
      }
      options.onProgress?.(progress)
    },
  })
  return {
    filesTotal: result.filesTotal,
    filesImported,
    filesDuplicate,
    activitiesImported: result.activities.length,
    activitiesDuplicate: result.duplicates.length,
    failures: result.errors,
  }
}

/**
 * The exit code of `pierre-server import`: 0 when some file was imported or found already
 * imported, 1 when nothing was (every file failed, or no file was found).
 */
export function importExitCode(summary: ImportSummary): 0 | 1 {
  return summary.filesImported + summary.filesDuplicate > 0 ? 0 : 1
}
