import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, expect, test } from 'vitest'
import type { Baseline } from '../model/results.ts'
import { baselinePath, loadBaseline, writeBaseline } from './baseline-file.ts'
import { SchemaError } from './schema-check.ts'

const dir = await mkdtemp(join(tmpdir(), 'baseline-file-test-'))
afterAll(() => rm(dir, { recursive: true, force: true }))

const valid: Baseline = {
  schemaVersion: 1,
  suite: 'pipeline',
  recordedAt: '2026-11-23T00:00:00.000Z',
  environment: { profile: 'local', profileReason: 'r', cpuModel: 'c', cores: 2, memoryBytes: 1024, os: 'Linux', node: 'v24' },
  metrics: { 't › throughput': { value: 10, unit: 'events/s', direction: 'higher' } },
}

test('a missing baseline is undefined, not an error', async () => {
  expect(await loadBaseline(join(dir, 'absent.json'))).toBeUndefined()
})

test('a written baseline reads back equal', async () => {
  const file = join(dir, 'ok.json')
  await writeBaseline(file, valid)
  expect(await loadBaseline(file)).toEqual(valid)
})

test('a wrong type names the file and the JSON path', async () => {
  const file = join(dir, 'wrong-type.json')
  const bad = structuredClone(valid) as unknown as { metrics: Record<string, { value: unknown }> }
  ;(bad.metrics['t › throughput'] as { value: unknown }).value = 'fast'
  await writeFile(file, JSON.stringify(bad))
  const error = await loadBaseline(file).catch((e: unknown) => e)
  expect(error).toBeInstanceOf(SchemaError)
  expect((error as Error).message).toContain(file)
  expect((error as Error).message).toContain('at /metrics/t › throughput/value: must be number')
})

test('an unknown direction lists the allowed values', async () => {
  const file = join(dir, 'direction.json')
  const bad = structuredClone(valid) as unknown as { metrics: Record<string, { direction: string }> }
  ;(bad.metrics['t › throughput'] as { direction: string }).direction = 'up'
  await writeFile(file, JSON.stringify(bad))
  await expect(loadBaseline(file)).rejects.toThrow(
    '/metrics/t › throughput/direction: must be equal to one of the allowed values (higher, lower)',
  )
})

test('text that is not JSON is a SchemaError naming the file', async () => {
  const file = join(dir, 'garbage.json')
  await writeFile(file, '{ not json')
  await expect(loadBaseline(file)).rejects.toThrow(`${file} is not valid:`)
})

test('writeBaseline refuses to write an invalid baseline', async () => {
  const file = join(dir, 'refused.json')
  await expect(writeBaseline(file, { ...valid, suite: '' })).rejects.toThrow('at /suite')
  await expect(readFile(file)).rejects.toThrow('ENOENT')
})

test('baselines are per profile: local at the top of the folder, others in a folder of their own', () => {
  expect(baselinePath('baselines', 'pipeline')).toBe(join('baselines', 'pipeline.json'))
  expect(baselinePath('baselines', 'pipeline', 'local')).toBe(join('baselines', 'pipeline.json'))
  expect(baselinePath('baselines', 'pipeline', 'docker')).toBe(join('baselines', 'docker', 'pipeline.json'))
})
