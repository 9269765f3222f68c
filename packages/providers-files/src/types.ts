import type { Activity, ActivityStreams } from '@pierre/providers-core'

/** The file formats the importer reads. */
export type FileFormat = 'fit' | 'gpx' | 'tcx'

/** One activity read from a file: its normalized summary and its as-recorded streams. */
export interface ParsedActivity {
  readonly activity: Activity
  readonly streams: ActivityStreams
  /** The format the activity was read from. */
  readonly format: FileFormat
}

/** Options of {@link parseFit}, {@link parseGpx} and {@link parseTcx}. */
export interface ParseOptions {
  /** File name, used for the activity name when the file has none and in error messages. */
  readonly fileName?: string
}
