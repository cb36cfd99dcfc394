import type { Metric } from '../model/metric.ts'
import type { StartedApp, StartedPostgres } from './environment.ts'
import { expectNoLoss, runPipeline } from './pipeline-run.ts'
import { searchSustainableRate } from './rate-search.ts'

/** Latency above this at a step means a backlog is growing: the rate is not sustained. */
const P99_LIMIT_MS = 500
/** The optimized strategy's ladder of offered rates (harness/rate-search.ts). */
export const OPTIMIZED_STEPS = [25_000, 50_000, 100_000, 150_000, 200_000, 250_000, 300_000]
export const STEP_SECONDS = 3
/** The search resolves the maximum sustainable rate to 5% (a step of its stepped figure). */
const RESOLUTION = 0.05
const MAX_HALVINGS = 3
/** The load of the COPY ceiling measured beside a search (harness/copy-ceiling.ts). */
export const COPY_CEILING_LOAD = { events: 300_000, batchSize: 2000, connections: 4 }

let steps = 0

/**
 * One step of a maximum-sustainable-rate search: the rate offered for `seconds` through this processor.
 * Sustained: nothing given up, the rate held within 5%, and the end-to-end p99 bounded. Also what the
 * generator cost at the step, CPU seconds per 100k events generated.
 */
export async function offerStep(
  processor: StartedApp,
  postgres: StartedPostgres,
  { rate, seconds, label }: { rate: number; seconds: number; label: string },
): Promise<{ sustained: boolean; generatorCpuPer100k: number; processorCpuPer100k: number }> {
  const run = await runPipeline(processor, postgres, {
    ratePerSecond: rate,
    durationSeconds: seconds,
    // Its own source: a retried rate under the same one would count the first attempt's rows too.
    source: `capacity-${label}-${rate}-${++steps}`,
    batchSize: 200,
  })
  expectNoLoss(run)
  const achieved = run.committed / (run.load.activeMs / 1000)
  const p99Ms = run.load.endToEndLatency.p99Us / 1000
  const sustained = run.load.failed === 0 && achieved >= rate * 0.95 && p99Ms <= P99_LIMIT_MS
  const wallS = run.load.activeMs / 1000
  console.log(
    `capacity ${label}: ${rate} events/s offered -> ${Math.round(achieved)} committed/s, p99 ${p99Ms.toFixed(1)} ms, ` +
      `CPU (100% = one of 2 cores): generator ${pct(run.load.cpuMs / 1000, wallS)}, processor ${pct(run.processorCpuSeconds, wallS)}: ` +
      `${sustained ? 'sustained' : 'not sustained'}`,
  )
  return {
    sustained,
    generatorCpuPer100k: (run.load.cpuMs / 1000 / Math.max(1, run.load.generated)) * 1e5,
    processorCpuPer100k: (run.processorCpuSeconds / Math.max(1, run.committed)) * 1e5,
  }
}

/**
 * The maximum sustainable rate of this processor (harness/rate-search.ts), one step = one pipeline run of
 * STEP_SECONDS. Searches given one `inTurn` (harness/side-by-side.ts) take turns step by step.
 */
export const sustainableRate = (
  processor: StartedApp,
  postgres: StartedPostgres,
  {
    steps,
    expected,
    label,
    inTurn = (step) => step(),
  }: { steps: number[]; expected?: number; label: string; inTurn?: <T>(step: () => Promise<T>) => Promise<T> },
): Promise<number> =>
  searchSustainableRate(
    async (rate) => (await inTurn(() => offerStep(processor, postgres, { rate, seconds: STEP_SECONDS, label }))).sustained,
    {
      steps,
      expected,
      resolution: RESOLUTION,
      maxHalvings: MAX_HALVINGS,
    },
  )

/** A search's result as a metric: a stepped figure, known to RESOLUTION. */
export const maximumSustainableRate = (value: number): Metric => ({
  name: 'maximum sustainable rate',
  value,
  unit: 'events/s',
  direction: 'higher',
  tolerance: 0.2,
  resolution: RESOLUTION,
})

const pct = (cpuSeconds: number, wallSeconds: number) => `${Math.round((cpuSeconds / wallSeconds) * 100)}%`
