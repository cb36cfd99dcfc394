import { expect } from 'vitest'
import { test } from '../../harness/fixtures.ts'

// The regressions scripts/gate-experiment.ts plants in the head's processor (apps/processor/server.ts)
// do what they say, on a real processor and PostgreSQL: a held acknowledgement, and CPU per event.
const batch = (source: string, n: number) => ({
  events: Array.from({ length: n }, (_, seq) => ({ kind: 'market', source, seq, ts: Date.now(), symbol: 'ACME', price: 100, volume: 1 })),
})
const timedPost = async (url: string, body: unknown) => {
  const started = performance.now()
  const response = await fetch(`${url}/ingest`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(body),
  })
  return { status: response.status, ms: performance.now() - started }
}

test('BENCH_PLANT_ACK_DELAY_MS and BENCH_PLANT_CPU_US_PER_EVENT slow the processor by what they say', { timeout: 60_000 }, async ({
  startProcessor,
}) => {
  const plain = await startProcessor()
  process.env.BENCH_PLANT_ACK_DELAY_MS = '400'
  const delayed = await startProcessor()
  process.env.BENCH_PLANT_ACK_DELAY_MS = '0'
  process.env.BENCH_PLANT_CPU_US_PER_EVENT = '4000'
  const costly = await startProcessor()
  delete process.env.BENCH_PLANT_ACK_DELAY_MS
  delete process.env.BENCH_PLANT_CPU_US_PER_EVENT

  const before = await timedPost(plain.url, batch('plant-plain', 100))
  const held = await timedPost(delayed.url, batch('plant-delay', 100))
  const busy = await timedPost(costly.url, batch('plant-cpu', 100))
  expect([before.status, held.status, busy.status]).toEqual([200, 200, 200])
  expect(before.ms).toBeLessThan(300)
  expect(held.ms).toBeGreaterThanOrEqual(400)
  expect(busy.ms).toBeGreaterThanOrEqual(400) // 100 events x 4 ms
})
