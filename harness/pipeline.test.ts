import { expect } from 'vitest'
import { runGenerator } from './apps.ts'
import { test } from './fixtures.ts'
import { queryRows } from './sql.ts'

// The whole benchmark path for a few seconds: generator -> processor -> embedded PostgreSQL.
test('a short pipeline run commits every acknowledged event exactly once', { timeout: 60_000 }, async ({ processor, postgres }) => {
  const load = await runGenerator({ target: processor.url, ratePerSecond: 2000, durationSeconds: 3, batchSize: 50, source: 'short-run' })
  const [row] = await queryRows<{ n: string; distinct_seq: string; max_seq: string }>(
    postgres.url,
    'SELECT count(*) AS n, count(DISTINCT seq) AS distinct_seq, max(seq) AS max_seq FROM market_events WHERE source = $1',
    ['short-run'],
  )
  expect(load.errors).toEqual([])
  expect(load.generated).toBe(6000)
  expect(load.acked).toBe(6000)
  expect(Number(row?.n)).toBe(6000)
  expect(Number(row?.distinct_seq)).toBe(6000)
  expect(Number(row?.max_seq)).toBe(5999)
  expect(load.endToEndLatency.count).toBe(6000)
  expect(load.endToEndLatency.p50Us).toBeGreaterThan(0)
  expect(load.endToEndLatency.p99Us).toBeGreaterThanOrEqual(load.endToEndLatency.p50Us)
})
