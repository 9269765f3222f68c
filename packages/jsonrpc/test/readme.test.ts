import { readFileSync } from 'node:fs'
import { expect, it } from 'vitest'
// readme:start
import { z } from 'zod'
import { createDispatcher, defineMethod } from '../src/index.js'

const add = defineMethod({
  method: 'add',
  params: z.object({ a: z.number(), b: z.number() }),
  positional: ['a', 'b'],
  handler: ({ a, b }) => a + b,
})
const dispatcher = createDispatcher({ methods: [add] })

const reply = await dispatcher.handleText('{"jsonrpc":"2.0","id":1,"method":"add","params":[2,3]}')
// reply === '{"jsonrpc":"2.0","id":1,"result":5}'
// readme:end

it('runs the README usage example as shown', () => {
  expect(reply).toBe('{"jsonrpc":"2.0","id":1,"result":5}')
})

it('keeps the README usage block identical to this example', () => {
  const source = readFileSync(new URL(import.meta.url), 'utf8')
  const example = source.split('// readme:start\n')[1]?.split('// readme:end')[0] ?? ''
  const readme = readFileSync(new URL('../README.md', import.meta.url), 'utf8')
  const usage = readme.split('## Usage')[1]?.split('```ts\n')[1]?.split('```')[0] ?? ''
  expect(usage).toBe(example.replace("'../src/index.js'", "'@pierre/jsonrpc'"))
  expect(usage.trim().split('\n').length).toBeLessThanOrEqual(15)
})

it('lists every export in the README API section, once', async () => {
  const readme = readFileSync(new URL('../README.md', import.meta.url), 'utf8')
  const api = readme.split('## API')[1]?.split('## Errors')[0] ?? ''
  const listed = [...api.matchAll(/^- `([A-Za-z]+)/gm)].map((match) => match[1])
  const index = readFileSync(new URL('../src/index.ts', import.meta.url), 'utf8')
  const exported = [...index.matchAll(/export (?:type )?\{([^}]*)\}/g)].flatMap((match) =>
    (match[1] ?? '')
      .split(',')
      .map((name) => name.trim())
      .filter(Boolean),
  )
  expect([...listed].sort()).toEqual([...exported].sort())
})
