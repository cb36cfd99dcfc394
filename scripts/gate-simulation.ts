// `node scripts/gate-simulation.ts [--trials N] [--pairs N,N...] [--confirm N] [--order-effect F] [--baselines DIR]
// [--durations suite=s,...] [--run-overhead s] [--pair-noise FILE|none]`: the paired gate's false-alarm and
// detection rates over every committed baseline metric, simulated through the real judge
// (reporters/stats/gate-simulation.ts), for each pair count asked. The test asserts the default's rates;
// this prints the trade-off between pairs and power, and each p99's detection of a 25% rise.
import { join } from 'node:path'
import { parseArgs } from 'node:util'
import { CONFIRM_PAIRS } from '../reporters/paired-defaults.ts'
import {
  capacityLoss,
  committedBaselines,
  ORDER_EFFECT,
  PAIR_NOISE_FILE,
  type Plant,
  plantedFound,
  unchangedGates,
} from '../reporters/stats/gate-simulation.ts'

const { values } = parseArgs({
  options: {
    trials: { type: 'string', default: '1000' },
    pairs: { type: 'string', default: '4,6,8,10' },
    confirm: { type: 'string', default: String(CONFIRM_PAIRS) },
    'order-effect': { type: 'string', default: String(ORDER_EFFECT) },
    // Another testbed's baselines, e.g. reporters/fixtures/baselines-2026-11-23-amd-epyc.
    baselines: { type: 'string', default: join(import.meta.dirname, '..', 'baselines') },
    // The noise real pairs measured on the committed baselines' testbed (scripts/pair-noise.ts); `none`
    // draws the two runs of a pair independently, each with the baseline's whole noise.
    'pair-noise': { type: 'string', default: PAIR_NOISE_FILE },
    // Seconds one run of each suite takes (medians of the 14-19 runs of each in an A/A gate of every default
    // suite on the local profile here, 2026-12-07T11-24), and what vitest and the environment add to each (a
    // paired patterns pair took 41 s for two 16 s suite runs). The pipeline's is that gate's 64 s less its
    // naive run at 50k events/s (median 26.6 s), which the suite no longer has. Capacity's is half a
    // side-by-side pair less the overhead: 3 A/A pairs with generators that stay up took 2 min 4 s each
    // (2026-12-08T02:00).
    durations: { type: 'string', default: 'api=17,capacity=57.5,patterns=17.5,pipeline=38,processor=5.6' },
    'run-overhead': { type: 'string', default: '4.5' },
  },
})
const durations = new Map(values.durations.split(',').map((d) => [d.split('=')[0] as string, Number(d.split('=')[1])]))
/** The wall time of a gate that ran these suite runs, in minutes. */
const wallMinutes = (runs: Map<string, number>) =>
  [...runs].reduce((sum, [suite, n]) => sum + n * ((durations.get(suite) ?? 0) + Number(values['run-overhead'])), 0) / 60
const trials = Number(values.trials)
const noise = { orderEffect: Number(values['order-effect']) }
const suites = committedBaselines(values.baselines, values['pair-noise'] === 'none' ? undefined : values['pair-noise'])
const metrics = suites.flatMap((s) =>
  Object.entries(s.baseline.metrics).map(([key, m]) => ({ suite: s.baseline.suite, key, explains: m.explains === true })),
)
// Primary p99s only: one that explains a change (GC pause, event-loop delay) is judged only behind a
// primary figure that moved, so planted alone it is never found.
const p99s = metrics.filter((m) => / p99$/.test(m.key) && !m.explains)
const regressions: { label: string; plants: Plant[] }[] = [
  {
    label: 'validate -5%',
    plants: [{ suite: 'processor', key: 'ingest hot path, 500-event batch › validate batch throughput', change: -0.05 }],
  },
  { label: 'capacity -10% (max rate and its share of the ceiling)', plants: capacityLoss(-0.1) },
  // The metric's own name first: test names share their first 60 characters (bursts ... optimized).
  ...p99s.map((m) => ({
    label: `${m.key.split(' › ').at(-1)} +25% in ${m.key.slice(0, 50)}…`,
    plants: [{ suite: m.suite, key: m.key, change: 0.25 }],
  })),
]

const measuredWithin = suites.reduce((n, s) => n + Object.keys(s.pairNoise ?? {}).length, 0)
console.log(
  `${metrics.length} metrics in ${suites.length} suites (${measuredWithin} with noise measured within pairs), ${trials} trials each, ` +
    `first runs ${noise.orderEffect} faster`,
)
for (const pairs of values.pairs.split(',').map(Number)) {
  const plan = { pairs, confirmPairs: Number(values.confirm) }
  const { share, perSuite, runs } = await unchangedGates(suites, plan, trials, 20261201 + pairs, noise)
  console.log(
    `pairs ${pairs}, confirm to ${plan.confirmPairs}: unchanged runs red ${(share * 100).toFixed(2)}%; runs per suite: ${perSuite}; ` +
      `wall time about ${wallMinutes(runs).toFixed(0)} min`,
  )
  for (const { label, plants } of regressions) {
    console.log(`  ${label}: found ${((await plantedFound(suites, plan, plants, trials, 20261202 + pairs, noise)) * 100).toFixed(1)}%`)
  }
}
