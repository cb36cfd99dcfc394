import { join } from 'node:path'
import { describe, expect, test } from 'vitest'
import { CONFIRM_PAIRS, PAIRED_DEFAULT_PAIRS } from '../paired-defaults.ts'
import { committedBaselines, isRed, type Plant, simulator, suiteRuns, verdictOf } from './gate-simulation.ts'

// The paired gate over every metric of the committed baselines at once, through the real judges: does a
// whole unchanged pull request stay green, and is a planted regression still found? The noise model is
// described in gate-simulation.ts. `node scripts/gate-simulation.ts` prints the same for other pair counts.
const SUITES = committedBaselines(join(import.meta.dirname, '..', '..', 'baselines'))
const PLAN = { pairs: PAIRED_DEFAULT_PAIRS, confirmPairs: CONFIRM_PAIRS }
const UNCHANGED_TRIALS = 2000
const PLANTED_TRIALS = 200

const VALIDATE = { suite: 'processor', key: 'ingest hot path, 500-event batch › validate batch throughput' }
const MAX_RATE = { suite: 'capacity', key: 'maximum sustainable rate, optimized, vs the COPY ceiling › maximum sustainable rate' }
const P99_10K = { suite: 'pipeline', key: 'steady 10000 events/s for 10 s, optimized › end-to-end p99' }

async function foundRate(plant: Plant, seed: number): Promise<number> {
  const sim = simulator(seed)
  let found = 0
  for (let t = 0; t < PLANTED_TRIALS; t++)
    if (verdictOf(await sim.gate(SUITES, PLAN, [plant]), plant.suite, plant.key) === 'regressed') found++
  return found / PLANTED_TRIALS
}

describe(`the paired gate over ${SUITES.reduce((n, s) => n + Object.keys(s.baseline.metrics).length, 0)} committed metrics`, () => {
  test(`unchanged pull requests: at most 1% of ${UNCHANGED_TRIALS} runs red over all metrics together`, { timeout: 300_000 }, async () => {
    expect(SUITES.map((s) => s.baseline.suite).sort()).toEqual(['api', 'capacity', 'patterns', 'pipeline', 'processor'])
    const sim = simulator(11)
    let red = 0
    const runs = new Map<string, number>()
    for (let t = 0; t < UNCHANGED_TRIALS; t++) {
      const results = await sim.gate(SUITES, PLAN)
      if (isRed(results)) red++
      for (const [suite, n] of suiteRuns(results)) runs.set(suite, (runs.get(suite) ?? 0) + n / UNCHANGED_TRIALS)
    }
    const perSuite = [...runs].map(([suite, n]) => `${suite} ${n.toFixed(1)}`).join(', ')
    console.log(
      `unchanged: ${red} of ${UNCHANGED_TRIALS} runs red (${((red / UNCHANGED_TRIALS) * 100).toFixed(2)}%); runs per suite: ${perSuite}`,
    )
    expect(red / UNCHANGED_TRIALS).toBeLessThanOrEqual(0.01)
  })

  test.each([
    { label: 'a 5% slower micro-benchmark (validate)', plant: { ...VALIDATE, change: -0.05 }, atLeast: 0.95 },
    { label: 'a 10% lower maximum sustainable rate', plant: { ...MAX_RATE, change: -0.1 }, atLeast: 0.9 },
    { label: 'a 25% higher end-to-end p99 at 10k events/s', plant: { ...P99_10K, change: 0.25 }, atLeast: 0.9 },
  ])('$label is found in at least $atLeast of runs', { timeout: 300_000 }, async ({ label, plant, atLeast }) => {
    const found = await foundRate(plant, 12)
    console.log(`${label}: found in ${(found * 100).toFixed(1)}% of ${PLANTED_TRIALS}`)
    expect(found).toBeGreaterThanOrEqual(atLeast)
  })
})
