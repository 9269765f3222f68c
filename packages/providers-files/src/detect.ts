import { gunzipSync } from 'node:zlib'
import { ProviderError } from '@pierre/providers-core'
import { parseFit } from './fit.js'
import { parseGpx } from './gpx.js'
import { providerName } from './internal/build.js'
import { parseTcx } from './tcx.js'
import type { FileFormat, ParsedActivity, ParseOptions } from './types.js'

const maxInflatedBytes = 512 * 1024 * 1024

/**
 * Returns the format of a file from its content (FIT header, XML root element), falling back to
 * the file name's extension (`.fit`, `.gpx`, `.tcx`, each optionally `.gz`), or `undefined`.
 * The content must already be decompressed.
 */
export function detectFormat(bytes: Uint8Array, fileName?: string): FileFormat | undefined {
  if (
    bytes.length >= 12 &&
    bytes[8] === 0x2e &&
    bytes[9] === 0x46 &&
    bytes[10] === 0x49 &&
    bytes[11] === 0x54
  ) {
    return 'fit'
  }
  const head = new TextDecoder('utf-8', { fatal: false }).decode(bytes.subarray(0, 4096))
  if (/<(\w+:)?gpx[\s>]/.test(head)) return 'gpx'
  if (/<(\w+:)?TrainingCenterDatabase[\s>]/.test(head)) return 'tcx'
  const extension = /\.(fit|gpx|tcx)(\.gz)?$/i.exec(fileName ?? '')?.[1]?.toLowerCase()
  return extension as FileFormat | undefined
}

const isGzip = (bytes: Uint8Array): boolean =>
  bytes.length >= 2 && bytes[0] === 0x1f && bytes[1] === 0x8b

/**
 * Parses one file's content whatever its format: gzip is inflated, the format detected by
 * {@link detectFormat}, then {@link parseFit}, {@link parseGpx} or {@link parseTcx} runs.
 *
 * @throws ProviderError `invalid_data` with `details.reason` `unsupported` when the format is not
 *   recognised, or the parser's error.
 */
export function parseActivityFile(
  bytes: Uint8Array,
  options: ParseOptions = {},
): readonly ParsedActivity[] {
  if (!(bytes instanceof Uint8Array)) {
    throw new ProviderError('invalid_argument', 'bytes must be a Uint8Array', {
      provider: providerName,
    })
  }
  let content = bytes
  if (isGzip(bytes)) {
    try {
      content = gunzipSync(bytes, { maxOutputLength: maxInflatedBytes })
    } catch (error) {
      throw new ProviderError('invalid_data', 'the gzip stream cannot be inflated', {
        provider: providerName,
        details: { reason: 'corrupt' },
        cause: error,
      })
    }
  }
  const format = detectFormat(content, options.fileName)
  if (format === 'fit') return parseFit(content, options)
  if (format === undefined) {
    throw new ProviderError(
      'invalid_data',
      'unsupported file: expected FIT, GPX or TCX content (optionally gzipped)',
      { provider: providerName, details: { reason: 'unsupported' } },
    )
  }
  const text = new TextDecoder('utf-8', { fatal: false }).decode(content).replace(/^\uFEFF/, '')
  return format === 'gpx' ? parseGpx(text, options) : parseTcx(text, options)
}
