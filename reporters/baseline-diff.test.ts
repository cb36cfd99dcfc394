import { expect, test } from 'vitest'
import type { Baseline } from '../model/results.ts'
import { renderBaselineDiff } from './baseline-diff.ts'

const env = { profile: 'local', profileReason: 'x', cpuModel: 'Xeon', cores: 2, memoryBytes: 1, os: 'Linux', node: 'v24' }
const baseline = (metrics: Baseline['metrics'], over: Partial<Baseline> = {}): Baseline => ({
  schemaVersion: 1,
  suite: 'pipeline',
  recordedAt: '2026-11-23T00:00:00.000Z',
  environment: env,
  metrics,
  ...over,
})
const m = (value: number) => ({ value, unit: 'ms', direction: 'lower' as const })

test('lists moved, new and removed metrics, and leaves out unchanged ones', () => {
  const md = renderBaselineDiff(
    { pipeline: baseline({ 't › p99': m(10), 't › p50': m(5), 't › gone': m(1) }) },
    { pipeline: baseline({ 't › p99': m(12), 't › p50': m(5), 't › added': m(3) }) },
  )
  expect(md).toContain('| t › p99 | 10 ms | 12 ms | +20.0% |')
  expect(md).toContain('| t › added | — | 3 ms | new |')
  expect(md).toContain('| t › gone | — | — | removed |')
  expect(md).not.toContain('t › p50')
})

test('says when nothing moved', () => {
  const same = baseline({ 't › p99': m(10) })
  expect(renderBaselineDiff({ pipeline: same }, { pipeline: same })).toContain('No figure moved.')
})

test('warns when the environment changed', () => {
  const md = renderBaselineDiff(
    { pipeline: baseline({ a: m(1) }) },
    { pipeline: baseline({ a: m(2) }, { environment: { ...env, cores: 4 } }) },
  )
  expect(md).toContain("The environment differs from the accepted baseline's.")
})
