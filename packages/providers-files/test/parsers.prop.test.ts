import { fc, test } from '@fast-check/vitest'
import { CrcCalculator } from '@garmin/fitsdk'
import { isProviderError } from '@pierre/providers-core'
import { expect } from 'vitest'
import { parseActivityFile, parseFit, parseGpx, parseTcx } from '../src/index.js'
import { encodeFit } from './support.js'

const sample = encodeFit({ startMs: Date.UTC(2025, 2, 1), seconds: 20, sport: 'running' })

function endsWell(run: () => unknown): void {
  try {
    const result = run()
    expect(Array.isArray(result)).toBe(true)
  } catch (error) {
    expect(isProviderError(error), String(error)).toBe(true)
  }
}

test.prop([fc.uint8Array({ maxLength: 512 })])(
  'arbitrary bytes end as a result or a ProviderError',
  (bytes) => {
    endsWell(() => parseFit(bytes))
    endsWell(() => parseActivityFile(bytes))
  },
)

test.prop([fc.nat({ max: sample.length - 1 }), fc.integer({ min: 1, max: 255 }), fc.boolean()])(
  'a FIT file with one byte changed or cut ends as a result or a ProviderError',
  (index, xor, cut) => {
    const bytes = cut ? sample.slice(0, index) : sample.slice()
    if (!cut) bytes[index] = (bytes[index] as number) ^ xor
    endsWell(() => parseFit(bytes))
  },
)

test.prop([
  fc.array(
    fc.tuple(fc.integer({ min: 14, max: sample.length - 3 }), fc.integer({ min: 1, max: 255 })),
    {
      minLength: 1,
      maxLength: 8,
    },
  ),
])(
  'a FIT file with bytes changed and a valid CRC ends as a result or a ProviderError',
  (changes) => {
    const bytes = sample.slice()
    for (const [index, xor] of changes) bytes[index] = (bytes[index] as number) ^ xor
    const crc = CrcCalculator.calculateCRC(bytes, 0, bytes.length - 2)
    bytes[bytes.length - 2] = crc & 0xff
    bytes[bytes.length - 1] = crc >> 8
    endsWell(() => parseFit(bytes))
  },
)

const xmlish = fc.stringMatching(/^[<>/a-zA-Z0-9 ="':.\-&;!?[\]]{0,200}$/)
const fragments = fc.array(
  fc.constantFrom(
    '<gpx>',
    '</gpx>',
    '<trk>',
    '</trk>',
    '<trkseg>',
    '</trkseg>',
    '<trkpt lat="91" lon="-200">',
    '<trkpt lat="45" lon="7">',
    '</trkpt>',
    '<time>2025-03-01T00:00:00Z</time>',
    '<time>nope</time>',
    '<ele>-5000</ele>',
    '<hr>0</hr>',
    '<TrainingCenterDatabase>',
    '</TrainingCenterDatabase>',
    '<Activities>',
    '</Activities>',
    '<Activity Sport="Running">',
    '</Activity>',
    '<Lap StartTime="x">',
    '</Lap>',
    '<Track>',
    '</Track>',
    '<Trackpoint>',
    '</Trackpoint>',
    '<Time>2025-03-01T00:00:01Z</Time>',
    '<Id>2025-03-01T00:00:00Z</Id>',
    '<HeartRateBpm><Value>400</Value></HeartRateBpm>',
    'text',
  ),
  { maxLength: 30 },
)

test.prop([
  fc.oneof(
    fc.string(),
    xmlish,
    fragments.map((parts) => parts.join('')),
  ),
])('arbitrary strings end as a result or a ProviderError', (text) => {
  endsWell(() => parseGpx(text))
  endsWell(() => parseTcx(text))
})
