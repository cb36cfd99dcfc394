import { randomUUID } from 'node:crypto'
import { rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, beforeAll, expect, test } from 'vitest'
import { HISTORY_DIR_ENV, RESULTS_DATABASE_ENV, withHistory } from './history.ts'
import { syntheticMetric, syntheticResults, syntheticSuite } from './synthetic-results.ts'

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
