import { mkdtempSync, readFileSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { expect } from 'vitest'
import { syntheticMetric, syntheticResults, syntheticSuite } from '../reporters/synthetic-results.ts'
import { test } from './fixtures.ts'
import { expectNoLoss, runPipeline } from './pipeline-run.ts'
import { baseResultsOf, measuredSides, SIDE_BY_SIDE_ENV, type SideBySide, turns } from './side-by-side.ts'
import { queryRows } from './sql.ts'

const ROOT = join(import.meta.dirname, '..')
const rowsOf = async (url: string, source: string) =>
  Number((await queryRows<{ n: string }>(url, 'SELECT count(*) AS n FROM market_events WHERE source = $1', [source]))[0]?.n)

// A real processor from a tree (here this one) on a database of its own beside the head's, its load from
// that tree's generator, its figures in the metric lines: what a paired run's capacity suite measures.
test('side by side: the base processor writes to its own database, without the head’s planted regression, and records apart', {
  timeout: 120_000,
}, async ({ processor, postgres }) => {
  const dir = mkdtempSync(join(tmpdir(), 'side-by-side-'))
  const run: SideBySide = {
    baseRoot: ROOT,
    baseMetrics: join(dir, 'base.jsonl'),
    first: 'base',
    baseEnv: { BENCH_PLANT_ACK_DELAY_MS: '0' },
  }
  process.env[SIDE_BY_SIDE_ENV] = JSON.stringify(run)
  process.env.BENCH_PLANT_ACK_DELAY_MS = '400' // the head's plant: the base must not have it
  const headMetrics: number[] = []
  const measured = await measuredSides(
    { processor, postgres, record: (m) => headMetrics.push(m.value) },
    { test: 't', strategy: 'optimized' },
  ).finally(() => {
    delete process.env[SIDE_BY_SIDE_ENV]
    delete process.env.BENCH_PLANT_ACK_DELAY_MS
  })
  try {
    const [base, head] = measured.sides
    expect([base?.side, head?.side]).toEqual(['base', 'head'])
    if (!base) throw new Error('no base side')
    expect(base.postgres.url).not.toBe(postgres.url)

    const load = await runPipeline(base.processor, base.postgres, { ratePerSecond: 2000, durationSeconds: 1, source: 'sbs-base' })
    expectNoLoss(load)
    expect(load.committed).toBeGreaterThan(1500)
    expect(load.load.ingestLatency.p99Us / 1000).toBeLessThan(300) // no 400-ms held acknowledgement
    expect(await rowsOf(base.postgres.url, 'sbs-base')).toBe(load.committed)
    expect(await rowsOf(postgres.url, 'sbs-base')).toBe(0)

    base.record({ name: 'throughput', value: 1234, unit: 'events/s', direction: 'higher', tolerance: 0.1 })
    expect(headMetrics).toEqual([])
    expect(JSON.parse(readFileSync(run.baseMetrics, 'utf8'))).toMatchObject({ test: 't', metric: { value: 1234 } })

    // The pair's base results: the head's, with the base's figure in place of the head's.
    const headResults = syntheticResults({
      suites: [
        syntheticSuite([syntheticMetric({ value: 999 }), syntheticMetric({ key: 't › other', name: 'other' })], { suite: 'capacity' }),
      ],
    })
    const baseResults = baseResultsOf(headResults, 'capacity', run.baseMetrics, 'base')
    expect(baseResults.suites[0]?.metrics.map((m) => [m.key, m.value])).toEqual([['t › throughput', 1234]])
    // The side that took the first turn is stored as the first to start, as the pair's order.
    expect(baseResults.startedAt < headResults.startedAt).toBe(true)
    expect(baseResultsOf(headResults, 'capacity', run.baseMetrics, 'head').startedAt > headResults.startedAt).toBe(true)
  } finally {
    await measured.stop()
    rmSync(dir, { recursive: true, force: true })
  }
})

test('steps given to one turns() run one at a time, in the order asked: two loops through it alternate', async () => {
  const inTurn = turns()
  const order: string[] = []
  const loop = async (name: string) => {
    for (let i = 0; i < 3; i++) await inTurn(async () => order.push(name))
  }
  await Promise.all([loop('a'), loop('b')])
  expect(order).toEqual(['a', 'b', 'a', 'b', 'a', 'b'])
})
