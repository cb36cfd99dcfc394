import { execFileSync } from 'node:child_process'
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, expect, test } from 'vitest'
import { syntheticMetric, syntheticResults, syntheticSuite } from '../reporters/synthetic-results.ts'

// The flags of the two scripts that measure and use the noise within pairs. The stored pairs here are
// synthetic results (the scripts' arithmetic, not a measurement): 3 pairs per order, log ratios ±1%.
const dir = mkdtempSync(join(tmpdir(), 'pair-noise-flags-'))
afterAll(() => rmSync(dir, { recursive: true, force: true }))

const store = (side: 'base' | 'head', pair: number, value: number, startedAt: string) =>
  writeFileSync(
    join(dir, `${side}-${pair}-pipeline.json`),
    JSON.stringify(syntheticResults({ startedAt, suites: [syntheticSuite([syntheticMetric({ value })])] })),
  )
const wiggle = [0.01, -0.01, 0, 0.01, -0.01, 0]
wiggle.forEach((w, i) => {
  const [early, late] = ['2026-12-07T00:00:00.000Z', '2026-12-07T00:01:00.000Z']
  const baseFirst = i % 2 === 0
  store('base', i + 1, 1000, baseFirst ? early : late)
  store('head', i + 1, 1000 * Math.exp(w), baseFirst ? late : early)
})

const node = (script: string, ...args: string[]) =>
  execFileSync(process.execPath, [join(import.meta.dirname, script), ...args], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] })

test('pair-noise.ts --out writes the pooled noise to the file instead of printing it', () => {
  const out = join(dir, 'noise.json')
  const printed = node('pair-noise.ts', dir, '--out', out)
  expect(printed).toBe('')
  const written = JSON.parse(readFileSync(out, 'utf8'))
  expect(written.pairs).toBe(6)
  expect(written.metrics['pipeline › t › throughput'].residuals).toBe(6)
  expect(written.metrics['pipeline › t › throughput'].noise).toBeGreaterThan(0)
  expect(JSON.parse(node('pair-noise.ts', dir))).toEqual(written)
})

test('pair-noise.ts --over keeps an earlier file’s metrics and replaces the ones its pairs measured', () => {
  const earlier = join(dir, 'earlier.json')
  const kept = { noise: 0.5, residuals: 20 }
  writeFileSync(
    earlier,
    JSON.stringify({ measured: ['paired-old'], pairs: 20, metrics: { 'api › a › b': kept, 'pipeline › t › throughput': kept } }),
  )
  const merged = JSON.parse(node('pair-noise.ts', dir, '--over', earlier))
  expect(merged.measured).toEqual(['paired-old', dir.replace(/^.*\//, '')])
  expect(merged.pairs).toBe(26)
  expect(merged.metrics['api › a › b']).toEqual(kept)
  expect(merged.metrics['pipeline › t › throughput'].residuals).toBe(6)
})

test('gate-simulation.ts --pair-noise none draws every run with its baseline noise; a file gives some metrics pair noise', () => {
  const run = (pairNoise?: string) => {
    const args = ['--trials', '2', '--pairs', '4', ...(pairNoise ? ['--pair-noise', pairNoise] : [])]
    return Number(/\((\d+) with noise measured within pairs\)/.exec(node('gate-simulation.ts', ...args))?.[1])
  }
  expect(run('none')).toBe(0)
  expect(run()).toBeGreaterThan(0)
}, 120_000)
