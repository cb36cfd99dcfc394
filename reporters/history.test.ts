import { randomUUID } from 'node:crypto'
import { rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, beforeAll, expect, test } from 'vitest'
import type { Environment, RunResults } from '../model/results.ts'
import { HISTORY_DIR_ENV, RESULTS_DATABASE_ENV, testbedReferences, withHistory } from './history.ts'
import { syntheticEnvironment, syntheticMetric, syntheticResults, syntheticSuite } from './synthetic-results.ts'

// A real embedded PostgreSQL in a temporary history directory; the runs recorded in it are synthetic.
// As root, initdb runs as 'postgres' and must create the data directory itself: directly under /tmp.
const dir = join(tmpdir(), `observatory-history-test-${randomUUID()}`)
beforeAll(() => {
  process.env[HISTORY_DIR_ENV] = dir
  delete process.env[RESULTS_DATABASE_ENV]
})
afterAll(async () => {
  delete process.env[HISTORY_DIR_ENV]
  await rm(dir, { recursive: true, force: true })
})

const run = (value: number) =>
  syntheticResults({ suites: [syntheticSuite([syntheticMetric({ value, threshold: 0.05, verdict: 'unchanged' })])] })

test('records every run and finds the step in the history', { timeout: 120_000 }, async () => {
  const values = [100, 101, 99, 100, 101, 100, 99, 85, 86, 84, 85]
  let last = run(0)
  for (const value of values) last = await withHistory(run(value), process.cwd())
  expect(last.environmentNotes).toEqual([])
  const history = last.suites[0]?.metrics[0]?.history
  expect(history?.values).toEqual(values)
  expect(history?.changePoint).toMatchObject({ index: 7 })
  expect(history?.changePoint?.change).toBeCloseTo(85 / 100 - 1, 2)
})

test('an unreachable results database leaves a note, not a failure', async () => {
  process.env[RESULTS_DATABASE_ENV] = 'postgres://nobody:x@127.0.0.1:1/none'
  try {
    const results = await withHistory(run(100), process.cwd())
    expect(results.environmentNotes[0]).toMatch(/^history: this run was not recorded \(.*\); check BENCH_RESULTS_DATABASE_URL/)
  } finally {
    delete process.env[RESULTS_DATABASE_ENV]
  }
})

const at = (opsPerSecond: number, over: Partial<Environment> = {}): Environment => ({
  ...syntheticEnvironment,
  cpuModel: 'testbed-test',
  ...over,
  calibration: { opsPerSecond, version: 1 },
})
const runOn = (environment: Environment, value: number, mode: RunResults['mode'] = 'baseline') =>
  syntheticResults({ mode, environment, suites: [syntheticSuite([syntheticMetric({ value, threshold: 0.05, verdict: 'unchanged' })])] })

test("a series holds this testbed's runs only, and they become the reference", { timeout: 120_000 }, async () => {
  // Four runs here, two on a machine twice as fast, one paired run and one under another profile.
  for (const value of [100, 102, 98]) await withHistory(runOn(at(10_000), value), process.cwd())
  for (const value of [200, 201]) await withHistory(runOn(at(20_000), value), process.cwd())
  await withHistory(runOn(at(10_000), 150, 'paired'), process.cwd())
  await withHistory(runOn(at(10_000, { profile: 'docker' }), 300), process.cwd())
  const last = await withHistory(runOn(at(10_300), 101), process.cwd())
  expect(last.suites[0]?.metrics[0]?.history?.values).toEqual([100, 102, 98, 101])

  const here = await testbedReferences(at(9_800), ['pipeline', 'absent'])
  expect([...here.keys()]).toEqual(['pipeline'])
  expect(here.get('pipeline')?.metrics['t › throughput']).toMatchObject({ value: 100.5, runs: 4 })
  // Two runs are too few for a noise estimate: no reference for the fast machine.
  expect((await testbedReferences(at(20_000), ['pipeline'])).size).toBe(0)
})
