import { createHash } from 'node:crypto'

/** Returns the first 16 hex characters of the SHA-256 of the content: a rename-proof id (spec §8). */
export function contentId(content: Uint8Array | string): string {
  return createHash('sha256').update(content).digest('hex').slice(0, 16)
}

/** Returns the name of a file without folders and without its format extensions. */
export function stemOf(fileName: string | undefined): string | undefined {
  if (fileName === undefined) return undefined
  const base = fileName.split(/[\\/]/).pop() ?? ''
  const stem = base.replace(/(\.(fit|gpx|tcx|xml))?(\.gz)?$/i, '')
  return stem.length > 0 ? stem.slice(0, 200) : undefined
}
