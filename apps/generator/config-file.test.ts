import { mkdtemp, rm, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, beforeAll, expect, test } from 'vitest'
import { readConfigFile } from './config-file.ts'

let dir = ''
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'generator-config-'))
})
afterAll(async () => {
  await rm(dir, { recursive: true, force: true })
})

const file = async (name: string, text: string) => {
  const path = join(dir, name)
  await writeFile(path, text)
  return path
}

test('a valid file becomes flag values, a shape as its JSON', async () => {
  const path = await file(
    'ok.json',
    JSON.stringify({ target: 'http://x', 'duration-s': 30, shape: { pattern: { kind: 'steady', rate: 5 } }, 'late-fraction': 0.01 }),
  )
  expect(readConfigFile(path)).toEqual({
    target: 'http://x',
    'duration-s': '30',
    shape: '{"pattern":{"kind":"steady","rate":5}}',
    'late-fraction': '0.01',
  })
})

test('every wrong field is named, unknown settings too', async () => {
  const path = await file('bad.json', JSON.stringify({ 'late-fraction': 2, 'batch-size': 0.5, speed: 'fast' }))
  expect(() => readConfigFile(path)).toThrow(
    `--config ${path} is not a valid generator configuration: unknown setting 'speed'; /batch-size must be integer; /batch-size must be >= 1; /late-fraction must be <= 1`,
  )
})

test('unreadable JSON says so', async () => {
  const path = await file('broken.json', '{ "target": ')
  expect(() => readConfigFile(path)).toThrow(`--config ${path} is not readable JSON`)
})
