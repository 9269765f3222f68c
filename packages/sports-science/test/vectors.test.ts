import { readFileSync } from 'node:fs'
import { describe, expect, it } from 'vitest'
import * as sportsScience from '../src/index.js'
import {
  argumentLists,
  expandStreams,
  type GoldenVectorFile,
  lookUp,
  mismatches,
} from './support/golden-vectors.js'

const file = JSON.parse(
  readFileSync(new URL('./fixtures/sports-science-vectors.json', import.meta.url), 'utf8'),
) as GoldenVectorFile

describe('golden vectors (spec §13.2)', () => {
  it('holds the 129 vectors of spec v1.0 with unique ids', () => {
    expect(file.specVersion).toBe('1.0')
    expect(file.vectors).toHaveLength(129)
    expect(new Set(file.vectors.map((vector) => vector.id)).size).toBe(file.vectors.length)
  })

  it('runs every vector of a namespace the package exports (none of those is skipped)', () => {
    const missing = file.vectors
      .filter((vector) => Object.hasOwn(sportsScience, vector.function.split('.')[0] ?? ''))
      .filter((vector) => lookUp(sportsScience, vector.function) === undefined)
      .map((vector) => vector.function)
    expect(missing).toEqual([])
  })

  for (const vector of file.vectors) {
    const fn = lookUp(sportsScience, vector.function)
    const name = `${vector.id}: ${vector.function}`
    if (fn === undefined) {
      it.skip(`${name} (not implemented yet)`, () => {})
      continue
    }
    it(name, () => {
      const { perElement, calls } = argumentLists(vector.inputs)
      const actual = calls.map((args) => fn(...args))
      const problems = mismatches(
        perElement ? actual : actual[0],
        vector.expected,
        vector.tolerance,
      )
      expect(problems, vector.source).toEqual([])
    })
  }
})

describe('golden-vector harness', () => {
  it('expands $rle, $repeat and $concat streams, also when nested', () => {
    expect(
      expandStreams({
        power: {
          $concat: [
            { $rle: [[1, 2]] },
            {
              $repeat: {
                times: 2,
                rle: [
                  [3, 1],
                  [null, 1],
                ],
              },
            },
            [7],
          ],
        },
        options: { ftp: 250 },
      }),
    ).toEqual({ power: [1, 1, 3, null, 3, null, 7], options: { ftp: 250 } })
  })

  it('builds one call per element for eachValue, eachCase and eachMethod, keeping the key order', () => {
    expect(argumentLists({ bmr: 1730, activityLevel: 'sedentary' })).toEqual({
      perElement: false,
      calls: [[1730, 'sedentary']],
    })
    expect(argumentLists({ eachValue: [1, 2] }).calls).toEqual([[1], [2]])
    expect(argumentLists({ eachCase: [{ a: 1 }] }).calls).toEqual([[{ a: 1 }]])
    expect(argumentLists({ age: 40, eachMethod: ['fox', 'tanaka'] })).toEqual({
      perElement: true,
      calls: [
        [40, { method: 'fox' }],
        [40, { method: 'tanaka' }],
      ],
    })
  })

  it('matches objects partially, arrays by length and element, numbers within the tolerance', () => {
    expect(mismatches({ a: 1.05, b: 'x' }, { a: 1 }, { abs: 0.1 })).toEqual([])
    expect(mismatches({ a: 1.2 }, { a: 1 }, { abs: 0.1 })).toHaveLength(1)
    expect(mismatches(101, 100, { rel: 0.01 })).toEqual([])
    expect(mismatches(102, 100, { rel: 0.01 })).toHaveLength(1)
    expect(mismatches([1, 2], [1, 2, 3], { abs: 0 })).toHaveLength(1)
    expect(mismatches({ b: null }, { b: null }, { abs: 0 })).toEqual([])
    expect(mismatches({ b: 0 }, { b: null }, { abs: 0 })).toHaveLength(1)
    expect(mismatches({}, { b: 'x' }, { abs: 0 })).toEqual(['$.b: missing'])
    expect(mismatches(Number.NaN, 1, { abs: 1 })).toHaveLength(1)
    expect(mismatches(true, true, { abs: 0 })).toEqual([])
  })

  it('finds functions by dotted name and nothing else', () => {
    const exports = { a: { b: { c: () => 1 } }, d: 2 }
    expect(lookUp(exports, 'a.b.c')).toBeTypeOf('function')
    expect(lookUp(exports, 'a.b')).toBeUndefined()
    expect(lookUp(exports, 'd.e')).toBeUndefined()
    expect(lookUp(exports, 'x.y')).toBeUndefined()
  })
})
