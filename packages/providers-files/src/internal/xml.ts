import { ProviderError } from '@pierre/providers-core'
import { XMLParser, XMLValidator } from 'fast-xml-parser'
import type { FileFormat } from '../types.js'
import { providerName } from './build.js'

/** A parsed XML element: attributes as `@_name`, children by local name, text as `#text`. */
export type XmlNode = Readonly<Record<string, unknown>>

const repeated = new Set(['trk', 'trkseg', 'trkpt', 'Activity', 'Lap', 'Track', 'Trackpoint'])

/**
 * Parses XML text into plain objects. Entities are left as written (no DOCTYPE expansion), values
 * stay strings, namespace prefixes are dropped so that `gpxtpx:hr` and `ns3:hr` read alike.
 *
 * @throws ProviderError `invalid_data` (`corrupt`) when the text is not well-formed XML.
 */
export function parseXml(text: string, format: FileFormat): XmlNode {
  const valid = XMLValidator.validate(text)
  if (valid !== true) {
    throw new ProviderError(
      'invalid_data',
      `the ${format.toUpperCase()} file is not well-formed XML: ${valid.err.msg} (line ${valid.err.line})`.slice(
        0,
        300,
      ),
      { provider: providerName, details: { format, reason: 'corrupt', line: valid.err.line } },
    )
  }
  const parser = new XMLParser({
    ignoreAttributes: false,
    attributeNamePrefix: '@_',
    removeNSPrefix: true,
    processEntities: false,
    htmlEntities: false,
    parseTagValue: false,
    parseAttributeValue: false,
    ignoreDeclaration: true,
    ignorePiTags: true,
    trimValues: true,
    isArray: (name) => repeated.has(name),
  })
  const parsed: unknown = parser.parse(text)
  return isNode(parsed) ? parsed : {}
}

/** Returns whether a value is an element object. */
function isNode(value: unknown): value is XmlNode {
  return typeof value === 'object' && value !== null && !Array.isArray(value)
}

/** Returns a child element, or `undefined`. */
export function child(node: unknown, name: string): XmlNode | undefined {
  if (!isNode(node)) return undefined
  const value = node[name]
  const first = Array.isArray(value) ? value[0] : value
  return isNode(first) ? first : undefined
}

/** Returns the repeated children of an element (always an array). */
export function children(node: unknown, name: string): readonly XmlNode[] {
  if (!isNode(node)) return []
  const value = node[name]
  const list = Array.isArray(value) ? value : value === undefined ? [] : [value]
  return list.filter(isNode)
}

const entities: Readonly<Record<string, string>> = {
  '&lt;': '<',
  '&gt;': '>',
  '&quot;': '"',
  '&apos;': "'",
  '&amp;': '&',
}

/** Returns the text of a child element or attribute, with the five XML entities decoded. */
export function text(node: unknown, name: string): string | undefined {
  if (!isNode(node)) return undefined
  let value = node[name]
  if (Array.isArray(value)) value = value[0]
  if (isNode(value)) value = value['#text']
  if (typeof value !== 'string' && typeof value !== 'number') return undefined
  return String(value).replace(/&(lt|gt|quot|apos|amp);/g, (entity) => entities[entity] ?? entity)
}

/** Returns a child's text as a finite number, or `undefined`. */
export function number(node: unknown, name: string): number | undefined {
  const value = text(node, name)
  if (value === undefined || value.trim() === '') return undefined
  const parsed = Number(value)
  return Number.isFinite(parsed) ? parsed : undefined
}

/** Finds the first descendant (up to `depth` levels) named `name` and returns it as a number. */
export function findNumber(node: unknown, names: readonly string[], depth = 4): number | undefined {
  if (!isNode(node) || depth < 0) return undefined
  for (const name of names) {
    const value = number(node, name)
    if (value !== undefined) return value
  }
  for (const value of Object.values(node)) {
    for (const item of Array.isArray(value) ? value : [value]) {
      if (!isNode(item)) continue
      const found = findNumber(item, names, depth - 1)
      if (found !== undefined) return found
    }
  }
  return undefined
}

/** Returns an ISO timestamp's epoch milliseconds, or `undefined`. */
export function epochMsOf(value: string | undefined): number | undefined {
  if (value === undefined) return undefined
  const parsed = Date.parse(value.trim())
  return Number.isFinite(parsed) ? parsed : undefined
}

/** Returns the error for a text that is not a file of the expected kind. */
export function notFormat(format: FileFormat, expected: string): ProviderError {
  return new ProviderError(
    'invalid_data',
    `the content is not a ${format.toUpperCase()} file, expected a <${expected}> root element`,
    { provider: providerName, details: { format, reason: 'unsupported' } },
  )
}

/** Returns the error for a file without usable samples. */
export function noData(format: FileFormat, what: string): ProviderError {
  return new ProviderError('invalid_data', `the ${format.toUpperCase()} file has no ${what}`, {
    provider: providerName,
    details: { format, reason: 'no_data' },
  })
}

/** Checks that the argument is a string. */
export function requireText(value: unknown): string {
  if (typeof value !== 'string') {
    throw new ProviderError('invalid_argument', 'text must be a string', { provider: providerName })
  }
  return value
}
