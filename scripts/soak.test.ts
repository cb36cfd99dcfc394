import { expect, test } from 'vitest'
import { benchResults } from './bench-results.ts'

// The soak suite end to end, shortened to 3 minutes: a processor that keeps 200 bytes per event (planted,
// apps/processor/server.ts) fails it with the slope named; the same processor without the plant passes.
// The default run leaves the soak out: scripts/bench.test.ts runs `pnpm bench` without it.
const SHORT = { BENCH_SOAK_SECONDS: '180' }

test('pnpm bench soak fails a processor that leaks, and names the slope', { timeout: 600_000 }, async () => {
  const results = await benchResults(['soak', '--profile', 'local'], { ...SHORT, BENCH_PLANT_LEAK_BYTES_PER_EVENT: '200' })
  const soak = results.suites.find((s) => s.suite === 'soak')
  expect(soak?.status).toBe('failed')
  expect(soak?.reason).toMatch(/resident memory grew [\d.]+ MiB\/min .* a leak/)
})

test('pnpm bench soak passes the processor as it is, with its slope recorded', { timeout: 600_000 }, async () => {
  const results = await benchResults(['soak', '--profile', 'local'], SHORT)
  const soak = results.suites.find((s) => s.suite === 'soak')
  expect(soak?.status, soak?.reason).toBe('passed')
  const slope = soak?.metrics.find((m) => m.name === 'resident memory slope after warm-up')?.value
  expect(slope).toBeLessThanOrEqual(1)
})
