import { setTimeout as sleep } from 'node:timers/promises'
import { linearRegression, min } from 'simple-statistics'
import { readPrometheusGauge } from '../harness/apps.ts'
import { test } from '../harness/fixtures.ts'
import { describeRun, expectNoLoss, runPipeline } from '../harness/pipeline-run.ts'

// A long steady load on the processor, watching its resident memory: a leak shows as a slope that a
// 10-second scenario never sees. Only run when named (`pnpm bench soak`, scripts/suite-selection.ts): 10 minutes.
// BENCH_SOAK_SECONDS shortens it for the test that plants a leak (apps/processor/server.ts).
const SECONDS = Number(process.env.BENCH_SOAK_SECONDS ?? 600)
const RATE = 5_000
const SAMPLE_MS = 2_000
/** Growth at steady load that counts as a leak: at 1 MiB a minute a 512 MiB pod limit is gone in about 8 hours. */
const LEAK_MIB_PER_MINUTE = 1
/** The first quarter is warm-up (JIT, connection pool, V8 growing its heap to the load), not a slope. */
const WARM_UP_SHARE = 0.25

test(`soak: steady ${RATE} events/s for ${SECONDS} s, resident memory slope`, { timeout: SECONDS * 1000 + 330_000 }, async ({
  startProcessor,
  postgres,
  record,
}) => {
  const processor = await startProcessor()
  const samples: [minutes: number, mib: number][] = []
  let running = true
  const started = performance.now()
  const sampling = (async () => {
    while (running) {
      const rss = await readPrometheusGauge(processor.url, 'process_resident_memory_bytes').catch(() => Number.NaN)
      if (Number.isFinite(rss)) samples.push([(performance.now() - started) / 60_000, rss / 2 ** 20])
      await sleep(SAMPLE_MS)
    }
  })()
  const run = await runPipeline(processor, postgres, { ratePerSecond: RATE, durationSeconds: SECONDS, source: 'soak' }).finally(() => {
    running = false
  })
  await sampling
  expectNoLoss(run)
  console.log(describeRun(`soak at ${RATE}/s`, run))

  const { slope, growthMiB, windows } = rssTrend(samples)
  console.log(
    `soak: resident memory ${slope.toFixed(2)} MiB/min after warm-up (${growthMiB.toFixed(1)} MiB over ${windows} windows' ` +
      `minima; a leak is above ${LEAK_MIB_PER_MINUTE} MiB/min)`,
  )
  // Judged here, not against a baseline: near zero a relative tolerance means nothing.
  record({ name: 'resident memory slope after warm-up', value: slope, unit: 'MiB/min', direction: 'lower', tolerance: 1 })
  record({ name: 'processor peak RSS', value: run.peakRssMiB, unit: 'MiB', direction: 'lower', tolerance: 0.25 })
  if (slope > LEAK_MIB_PER_MINUTE)
    throw new Error(
      `the processor's resident memory grew ${slope.toFixed(2)} MiB/min at a steady ${RATE} events/s after warm-up ` +
        `(limit ${LEAK_MIB_PER_MINUTE}): a leak. Take a heap snapshot (node --heapsnapshot-signal=SIGUSR2) during a soak to find it.`,
    )
})

/**
 * The slope of resident memory after warm-up, fitted to the minimum of each 30-second window: memory just
 * after a collection, so the garbage collector's sawtooth (tens of MiB at this load) does not tilt it.
 */
function rssTrend(samples: [number, number][]): { slope: number; growthMiB: number; windows: number } {
  const steady = samples.slice(Math.floor(samples.length * WARM_UP_SHARE))
  const perWindow = 30_000 / SAMPLE_MS
  const minima: [number, number][] = []
  for (let i = 0; i + perWindow <= steady.length; i += perWindow) {
    const window = steady.slice(i, i + perWindow)
    minima.push([(window[0] as [number, number])[0], min(window.map(([, mib]) => mib))])
  }
  if (minima.length < 3) throw new Error(`a soak of ${SECONDS} s leaves ${minima.length} windows after warm-up; give it at least 2 minutes`)
  const { m } = linearRegression(minima)
  return { slope: m, growthMiB: m * ((minima.at(-1)?.[0] ?? 0) - (minima[0]?.[0] ?? 0)), windows: minima.length }
}
