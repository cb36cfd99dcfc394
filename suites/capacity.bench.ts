import { baselineValue } from '../harness/baseline-value.ts'
import { measureCopyCeiling } from '../harness/copy-ceiling.ts'
import type { StartedApp, StartedPostgres } from '../harness/environment.ts'
import { test } from '../harness/fixtures.ts'
import { measuredSuite } from '../harness/implementations.ts'
import { searchSustainableRate } from '../harness/rate-search.ts'
import { offerStep } from '../harness/sustained-step.ts'
import type { Metric } from '../model/metric.ts'

// The highest offered rate each write strategy sustains, next to what PostgreSQL alone takes.
const OPTIMIZED_STEPS = [25_000, 50_000, 100_000, 150_000, 200_000, 250_000, 300_000]
const NAIVE_STEPS = [2_500, 5_000, 7_500, 10_000, 15_000, 20_000, 30_000]
const STEP_SECONDS = 3
/** The search resolves the maximum sustainable rate to 5% (a step of its stepped figure). */
const RESOLUTION = 0.05
const MAX_HALVINGS = 3

const OPTIMIZED = 'maximum sustainable rate, optimized, vs the COPY ceiling'
const NAIVE = 'maximum sustainable rate, naive'

test(OPTIMIZED, { timeout: 180_000 }, async ({ processor, postgres, record, profile }) => {
  const ceiling = await measureCopyCeiling(postgres.url, { events: 300_000, batchSize: 2000, connections: 4 })
  const expected = await expectedRate(profile.name, OPTIMIZED)
  const sustained = await sustainableRate(processor, postgres, { steps: OPTIMIZED_STEPS, expected }, 'optimized')
  const cost = generatorCost(sustained, 'optimized')
  if (cost) record(cost) // none when no step was sustained
  record({ name: 'PostgreSQL COPY ceiling', value: ceiling.eventsPerSecond, unit: 'events/s', direction: 'higher', tolerance: 0.25 })
  record(maximumSustainableRate(sustained))
  record({
    name: 'share of the COPY ceiling',
    value: sustained / ceiling.eventsPerSecond,
    unit: 'ratio',
    direction: 'higher',
    // Not a figure that transfers between testbeds: under a CPU quota of 0.6 cores the share fell 56%
    // (PostgreSQL's COPY and the whole pipeline do not slow alike).
    tolerance: 0.5,
  })
})

test(NAIVE, { timeout: 180_000 }, async ({ startProcessor, postgres, record, profile }) => {
  const naive = await startProcessor({ strategy: 'naive' })
  const expected = await expectedRate(profile.name, NAIVE)
  record(maximumSustainableRate(await sustainableRate(naive, postgres, { steps: NAIVE_STEPS, expected }, 'naive')))
})

/**
 * Where the search starts: the rate this profile's baseline sustained, so that a run takes about 6 steps
 * instead of 11 (harness/rate-search.ts). Both sides of a paired run start from their tree's baseline, the
 * same unless the pull request changes it.
 */
const expectedRate = (profile: string, test: string) =>
  baselineValue(profile, measuredSuite('capacity'), `${test} › maximum sustainable rate`)

/** The search's result as a metric: a stepped figure, known to RESOLUTION. */
const maximumSustainableRate = (value: number): Metric => ({
  name: 'maximum sustainable rate',
  value,
  unit: 'events/s',
  direction: 'higher',
  tolerance: 0.2,
  resolution: RESOLUTION,
})

/** The maximum sustainable rate of this processor (harness/rate-search.ts), one step = one pipeline run. */
const sustainableRate = (
  processor: StartedApp,
  postgres: StartedPostgres,
  start: { steps: number[]; expected: number | undefined },
  label: string,
) =>
  searchSustainableRate((rate) => offer(processor, postgres, rate, label), { ...start, resolution: RESOLUTION, maxHalvings: MAX_HALVINGS })

/** Per search (label) and offered rate: the generator's CPU seconds per 100k events at the sustained steps. */
const generatorCpu = new Map<string, number>()

/**
 * What the load generator cost at the maximum sustainable rate: CPU seconds per 100k events it generated,
 * over its load only. The apparatus shares the 2 cores with what it measures; a lower figure leaves more of
 * them to the pipeline.
 */
function generatorCost(rate: number, label: string): Metric | undefined {
  const value = generatorCpu.get(`${label} ${rate}`)
  if (value === undefined) return undefined
  return {
    name: 'generator CPU per 100k events',
    value,
    unit: 'CPU s',
    direction: 'lower',
    tolerance: 0.3,
    explains: true,
  }
}

/** One step of the search: the rate offered for STEP_SECONDS, and whether it was sustained. */
async function offer(processor: StartedApp, postgres: StartedPostgres, rate: number, label: string): Promise<boolean> {
  const step = await offerStep(processor, postgres, { rate, seconds: STEP_SECONDS, label })
  if (step.sustained) generatorCpu.set(`${label} ${rate}`, step.generatorCpuPer100k)
  return step.sustained
}
