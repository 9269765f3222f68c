export { detectFormat, parseActivityFile } from './detect.js'
export { parseFit } from './fit.js'
export { parseGpx } from './gpx.js'
export type {
  ImportDuplicate,
  ImportFailure,
  ImportFailureReason,
  ImportOptions,
  ImportProgress,
  ImportResult,
} from './import.js'
export { importFiles } from './import.js'
export type { FilesBundleOptions, FilesProviderOptions } from './provider.js'
export { createFilesBundle, createFilesProvider, filesDescriptor } from './provider.js'
export type { ActivityStore } from './store.js'
export { createMemoryActivityStore } from './store.js'
export { parseTcx } from './tcx.js'
export type { FileFormat, ParsedActivity, ParseOptions } from './types.js'
