import { test } from 'vitest'
import { createMarketSource } from '../apps/generator/market-source.ts'
import { encodeCopyRows } from '../apps/processor/copy-encoding.ts'
import { validateBatch } from '../apps/processor/validate.ts'

// The processor's per-request CPU work on a typical 500-event batch, function by function.
const next = createMarketSource('micro', 42)
const events = Array.from({ length: 500 }, (_, i) => next(1_700_000_000_000 + i))
const body = JSON.stringify({ events })
const parsed = JSON.parse(body) as unknown
let sink: unknown

// For scripts/gate-experiment.ts only: BENCH_PLANT_SLOWDOWN=0.05 makes every 'validate batch' call 5% slower
// (a busy wait of 5% of its calibrated time, so the median sees it too), a known regression to test the
// gate with. Never set in CI.
const PLANTED_MS = plantedDelayMs(Number(process.env.BENCH_PLANT_SLOWDOWN ?? 0))

test('ingest hot path, 500-event batch', async ({ bench }) => {
  await bench.compare(
    bench('validate batch', () => {
      sink = validateBatch(parsed)
      if (PLANTED_MS > 0) for (const until = performance.now() + PLANTED_MS; performance.now() < until; );
    }),
    bench('encode batch as COPY rows', () => {
      sink = encodeCopyRows(events)
    }),
    bench('parse, validate and encode', () => {
      const result = validateBatch(JSON.parse(body))
      if (result.ok) sink = encodeCopyRows(result.batch.events)
    }),
    { time: 1000, warmupTime: 500 },
  )
  if (sink === undefined) throw new Error('benchmarks did not run')
})

function plantedDelayMs(fraction: number): number {
  if (fraction <= 0) return 0
  for (let i = 0; i < 2000; i++) validateBatch(parsed) // warm up before timing
  const started = performance.now()
  for (let i = 0; i < 2000; i++) validateBatch(parsed)
  return ((performance.now() - started) / 2000) * fraction
}
