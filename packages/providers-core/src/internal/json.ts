/**
 * Parses JSON, turning integers beyond `Number.MAX_SAFE_INTEGER` into strings so that ids such as
 * Strava segment effort ids (> 2^53) survive (`specs/providers.md` §2). Throws `SyntaxError` like
 * `JSON.parse`.
 */
export function parseJsonPreservingBigIntegers(text: string): unknown {
  return JSON.parse(quoteBigIntegers(text))
}

function quoteBigIntegers(text: string): string {
  // Fast path: no run of 16+ digits, nothing to do.
  if (!/\d{16}/.test(text)) return text
  let result = ''
  let index = 0
  let copiedUpTo = 0
  const length = text.length
  while (index < length) {
    const char = text[index] as string
    if (char === '"') {
      index += 1
      while (index < length) {
        const inner = text[index]
        if (inner === '\\') index += 2
        else if (inner === '"') break
        else index += 1
      }
      index += 1
      continue
    }
    if (char === '-' || (char >= '0' && char <= '9')) {
      const start = index
      index += 1
      while (index < length && /[0-9.eE+-]/.test(text[index] as string)) index += 1
      const token = text.slice(start, index)
      if (/^-?\d+$/.test(token) && !Number.isSafeInteger(Number(token))) {
        result += `${text.slice(copiedUpTo, start)}"${token}"`
        copiedUpTo = index
      }
      continue
    }
    index += 1
  }
  return result + text.slice(copiedUpTo)
}
