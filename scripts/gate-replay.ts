// `node scripts/gate-replay.ts DIR [--pairs N] [--confirm-pairs N] [--show REGEX]`: replays the pairs a paired run stored
// (results/paired-<time>/, one file per side, pair and suite) through the real gate, as if they were being
// measured now: the first N pairs of every suite, then the next stored pairs of the suites it confirms. One
// measured data set answers several gate plans. It also prints, per metric, the noise of one run as the
// pairs measured it (the spread of the paired log ratios over sqrt 2) beside the baseline's between-run
// noise, and what running first did, which the gate simulation's noise model takes
// (reporters/stats/gate-simulation.ts, ORDER_EFFECT).
import { parseArgs } from 'node:util'
import { median as medianOf } from 'simple-statistics'
import type { RunResults } from '../model/results.ts'
import type { RunPair } from '../reporters/paired.ts'
import { CONFIRM_PAIRS, PAIRED_DEFAULT_PAIRS } from '../reporters/paired-defaults.ts'
import { runGate } from '../reporters/paired-gate.ts'
import { firstRunGain, orderGroups, pairedRunNoise, residuals } from '../reporters/stats/pair-residuals.ts'
import { storedPairs } from './stored-pairs.ts'

const { values, positionals } = parseArgs({
  allowPositionals: true,
  options: {
    pairs: { type: 'string', default: String(PAIRED_DEFAULT_PAIRS) },
    'confirm-pairs': { type: 'string', default: String(CONFIRM_PAIRS) },
    // Metrics (suite › key) whose paired change, interval and p-value to print, e.g. a planted target.
    show: { type: 'string' },
  },
})
const dir = positionals[0]
if (!dir) throw new Error('usage: node scripts/gate-replay.ts results/paired-<time> [--pairs N] [--confirm-pairs N]')

const stored = storedPairs(dir)
console.log(`${dir}: ${stored.length} stored pairs`)
let next = 0
let seconds = 0
const replay = async (only?: string[]): Promise<RunPair> => {
  const pair = stored[next++]
  if (!pair) throw new Error(`the plan needs more than the ${stored.length} stored pairs`)
  const chosen = (r: RunResults) => ({ ...r, suites: r.suites.filter((s) => !only || only.includes(s.suite)) })
  for (const [suite, s] of pair.seconds) if (!only || only.includes(suite)) seconds += s
  return { base: chosen(pair.base), head: chosen(pair.head), firstSide: pair.firstSide }
}
const plan = { pairs: Number(values.pairs), confirmPairs: Number(values['confirm-pairs']) }
const judged = await runGate(replay, plan, { ref: 'stored', commit: '0' })
const metrics = judged.suites.flatMap((s) => s.metrics.map((m) => ({ ...m, id: `${s.suite} › ${m.key}` })))
const regressed = metrics.filter((m) => m.verdict === 'regressed')
console.log(
  `plan: ${plan.pairs} pairs, confirm to ${plan.confirmPairs}: used ${next} pairs, ${(seconds / 60).toFixed(1)} min of runs` +
    `${judged.against?.confirmed ? `, confirmed ${judged.against.confirmed.join(', ')}` : ''}; ` +
    `${metrics.length} metrics, regressed: ${regressed.map((m) => `${m.id} (${pct(m.change ?? 0)})`).join('; ') || 'none'}`,
)

if (values.show) {
  const shown = new RegExp(values.show)
  for (const m of metrics.filter((x) => shown.test(x.id))) {
    const [low, high] = m.interval ?? [Number.NaN, Number.NaN]
    console.log(`  ${m.id}: ${pct(m.change ?? 0)} [${pct(low)}, ${pct(high)}] p=${m.pValue?.toPrecision(2)} n=${m.pairs}: ${m.verdict}`)
  }
}

console.log('\nper metric: the noise of one run as the pairs measured it (robust sd of the log ratios around')
console.log("their order group's median, / sqrt 2) vs the baseline's between runs, and what running first did")
const shares: number[] = []
const orderEffects: number[] = []
for (const suite of judged.suites) {
  for (const m of suite.metrics) {
    const groups = orderGroups(stored, suite.suite, m.key, m.normalized === true)
    const n = groups.base.length + groups.head.length
    const rest = residuals(groups)
    if (rest.length === 0 || !m.noise) continue
    const paired = pairedRunNoise(rest)
    const first = firstRunGain(groups)
    const better = m.direction === 'higher' ? first : -first
    shares.push(1 - (paired / m.noise) ** 2)
    orderEffects.push(better)
    console.log(
      `  ${suite.suite} › ${m.key}: ${pct(paired)} vs ${pct(m.noise)}, first run ${better >= 0 ? '+' : ''}${pct(better)} (n=${n})`,
    )
  }
}
if (shares.length > 0) {
  console.log(`median share of a run's variance the two sides of a pair share: ${pct(medianOf(shares))} over ${shares.length} metrics`)
  console.log(
    `median effect of running first: ${pct(medianOf(orderEffects))} (better), median size ${pct(medianOf(orderEffects.map(Math.abs)))}`,
  )
}

function pct(x: number): string {
  return `${(x * 100).toFixed(1)}%`
}
