import { setTimeout as sleep } from 'node:timers/promises'
import { expect } from 'vitest'
import { runGenerator } from '../../harness/apps.ts'
import { test } from '../../harness/fixtures.ts'
import { queryRows } from '../../harness/sql.ts'

test('SIGTERM in the middle of a load loses no acknowledged event', { timeout: 60_000 }, async ({ startProcessor, postgres }) => {
  const processor = await startProcessor()
  const load = runGenerator({
    target: processor.url,
    ratePerSecond: 5000,
    durationSeconds: 3,
    batchSize: 100,
    source: 'sigterm',
    maxAttempts: 2,
  })
  await sleep(1500)
  await processor.stop() // SIGTERM: stop accepting, commit what is queued, answer, exit
  const summary = await load

  const [row] = await queryRows<{ n: string; distinct_seq: string }>(
    postgres.url,
    'SELECT count(*) AS n, count(DISTINCT seq) AS distinct_seq FROM market_events WHERE source = $1',
    ['sigterm'],
  )
  // The generator got acknowledgements for roughly the first 1.5 s, then only refusals.
  expect(summary.acked).toBeGreaterThan(2000)
  expect(summary.failed).toBeGreaterThan(0)
  expect(summary.acked + summary.failed).toBe(summary.generated)
  // At least once: every acknowledged event is stored (a commit whose answer was cut off may add more), once.
  expect(Number(row?.n)).toBeGreaterThanOrEqual(summary.acked)
  expect(Number(row?.distinct_seq)).toBe(Number(row?.n))
})
