import { join } from 'node:path'
import { describe, expect, test } from 'vitest'
import { CONFIRM_PAIRS, PAIRED_DEFAULT_PAIRS } from '../paired-defaults.ts'
import { capacityLoss, committedBaselines, PAIR_NOISE_FILE, plantedFound, unchangedGates } from './gate-simulation.ts'

// The paired gate over every metric of a set of baselines at once, through the real judges: does a whole
// unchanged pull request stay green, and is a planted regression still found? The noise model is described
// in gate-simulation.ts; each metric's noise is its baseline's. Two testbeds, each held to the false-alarm
// promise and the detection targets:
// - the committed baselines (the testbed that recorded them, an Intel Xeon whose speed swings by up to 1.5x
//   between runs), with the noise real pairs measured there within a pair (PAIR_NOISE_FILE): most of its
//   baselines' noise is a drift that pairing cancels, and the judge sets aside a baseline's noise that the
//   pairs contradict (reporters/stats/paired-change.ts, PRIOR_CONFLICT);
// - the baselines of 2026-11-23 (an AMD EPYC, a quieter testbed), with every run's noise its own.
// `node scripts/gate-simulation.ts` prints the same for other pair counts.
const ROOT = join(import.meta.dirname, '..', '..')
const TESTBEDS = {
  committed: committedBaselines(join(ROOT, 'baselines'), PAIR_NOISE_FILE),
  'AMD EPYC, 2026-11-23': committedBaselines(join(ROOT, 'reporters', 'fixtures', 'baselines-2026-11-23-amd-epyc')),
}
const PLAN = { pairs: PAIRED_DEFAULT_PAIRS, confirmPairs: CONFIRM_PAIRS }
const UNCHANGED_TRIALS = 2000
const PLANTED_TRIALS = 200

const PLANTS = [
  {
    label: 'a 5% slower micro-benchmark (validate)',
    plants: [{ suite: 'processor', key: 'ingest hot path, 500-event batch › validate batch throughput', change: -0.05 }],
    atLeast: 0.95,
  },
  {
    label: 'a 10% lower maximum sustainable rate',
    plants: capacityLoss(-0.1),
    atLeast: 0.9,
  },
  {
    label: 'a 25% higher end-to-end p99 at 10k events/s',
    plants: [{ suite: 'pipeline', key: 'steady 10000 events/s for 10 s, optimized › end-to-end p99', change: 0.25 }],
    atLeast: 0.9,
  },
]

describe.each(Object.entries(TESTBEDS))('the paired gate over the %s baselines', (testbed, suites) => {
  test(`unchanged pull requests: at most 1% of ${UNCHANGED_TRIALS} runs red over all metrics together`, { timeout: 300_000 }, async () => {
    expect(suites.map((s) => s.baseline.suite).sort()).toEqual(['api', 'capacity', 'patterns', 'pipeline', 'processor'])
    if (testbed === 'committed') {
      // The measured noise names the baselines' metrics: a renamed metric would silently lose its own.
      const measured = suites.reduce((n, s) => n + Object.keys(s.pairNoise ?? {}).length, 0)
      const all = suites.reduce((n, s) => n + Object.keys(s.baseline.metrics).length, 0)
      expect(measured / all).toBeGreaterThan(0.85)
    }
    const { red, share, perSuite } = await unchangedGates(suites, PLAN, UNCHANGED_TRIALS, 11)
    console.log(`${testbed}: unchanged: ${red} of ${UNCHANGED_TRIALS} runs red (${(share * 100).toFixed(2)}%); runs per suite: ${perSuite}`)
    expect(share).toBeLessThanOrEqual(0.01)
  })

  test.each(PLANTS)('$label: found in at least $atLeast of runs', { timeout: 300_000 }, async ({ label, plants, atLeast }) => {
    const found = await plantedFound(suites, PLAN, plants, PLANTED_TRIALS, 12)
    console.log(`${testbed}: ${label}: found in ${(found * 100).toFixed(1)}% of ${PLANTED_TRIALS}`)
    expect(found).toBeGreaterThanOrEqual(atLeast)
  })
})
