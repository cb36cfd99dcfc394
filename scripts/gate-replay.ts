// `node scripts/gate-replay.ts DIR [--pairs N] [--confirm-pairs N] [--show REGEX]`: replays the pairs a paired run stored
// (results/paired-<time>/, one file per side, pair and suite) through the real gate, as if they were being
// measured now: the first N pairs of every suite, then the next stored pairs of the suites it confirms. One
// measured data set answers several gate plans. It also prints, per metric, the noise of one run as the
// pairs measured it (the spread of the paired log ratios over sqrt 2) beside the baseline's between-run
// noise, and what running first did, which the gate simulation's noise model takes
// (reporters/stats/gate-simulation.ts, ORDER_EFFECT).
import { readdirSync, readFileSync } from 'node:fs'
import { join } from 'node:path'
import { parseArgs } from 'node:util'
import { medianAbsoluteDeviation, median as medianOf } from 'simple-statistics'
import type { RunResults } from '../model/results.ts'
import { mergeRuns, type RunPair } from '../reporters/paired.ts'
import { CONFIRM_PAIRS, PAIRED_DEFAULT_PAIRS } from '../reporters/paired-defaults.ts'
import { runGate } from '../reporters/paired-gate.ts'

/** Wall time of starting vitest before a run's own clock starts (the processor suite here: 9.9 s vs 5.9 s). */
const VITEST_START_SECONDS = 4

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
    const ratios = stored.flatMap((p) => {
      const value = (r: RunResults) => {
        const found = r.suites.find((s) => s.suite === suite.suite)?.metrics.find((x) => x.key === m.key)
        return m.normalized ? found?.perCalibration : found?.value
      }
      const [b, h] = [value(p.base), value(p.head)]
      const first = p.firstSide?.[suite.suite]
      return typeof b === 'number' && typeof h === 'number' && b > 0 && h > 0 && first ? [{ r: Math.log(h / b), first }] : []
    })
    const groups = (['base', 'head'] as const).map((side) => ratios.filter((x) => x.first === side).map((x) => x.r))
    if (groups.some((g) => g.length < 2) || !m.noise) continue
    const residuals = groups.flatMap((g) => g.map((r) => r - medianOf(g)))
    const paired = (1.4826 * medianAbsoluteDeviation(residuals)) / Math.SQRT2
    // Half the gap between the orders: how much better a side does when it runs first.
    const first = (medianOf(groups[1] as number[]) - medianOf(groups[0] as number[])) / 2
    const better = m.direction === 'higher' ? first : -first
    shares.push(1 - (paired / m.noise) ** 2)
    orderEffects.push(better)
    console.log(
      `  ${suite.suite} › ${m.key}: ${pct(paired)} vs ${pct(m.noise)}, first run ${better >= 0 ? '+' : ''}${pct(better)} (n=${ratios.length})`,
    )
  }
}
if (shares.length > 0) {
  console.log(`median share of a run's variance the two sides of a pair share: ${pct(medianOf(shares))} over ${shares.length} metrics`)
  console.log(
    `median effect of running first: ${pct(medianOf(orderEffects))} (better), median size ${pct(medianOf(orderEffects.map(Math.abs)))}`,
  )
}

/**
 * The stored pairs in the order measured; a pair holds what both sides ran of each suite, and the seconds
 * each suite's two runs took (each run's own span plus VITEST_START, what starting vitest takes here).
 */
function storedPairs(dir: string): (RunPair & { seconds: Map<string, number> })[] {
  const byPair = new Map<number, { base: RunResults[]; head: RunResults[] }>()
  for (const file of readdirSync(dir).sort()) {
    const match = /^(base|head)-(\d+)-(.+)\.json$/.exec(file)
    if (!match) continue
    const [, side, number] = match as unknown as [string, 'base' | 'head', string]
    const entry = byPair.get(Number(number)) ?? { base: [], head: [] }
    entry[side].push(JSON.parse(readFileSync(join(dir, file), 'utf8')) as RunResults)
    byPair.set(Number(number), entry)
  }
  return [...byPair]
    .sort(([a], [b]) => a - b)
    .filter(([, sides]) => sides.base.length > 0 && sides.head.length > 0)
    .map(([, sides]) => {
      const seconds = new Map<string, number>()
      const firstSide: Record<string, 'base' | 'head'> = {}
      for (const b of sides.base) {
        const h = sides.head.find((run) => run.suites[0]?.suite === b.suites[0]?.suite)
        if (b.suites[0] && h) firstSide[b.suites[0].suite] = b.startedAt < h.startedAt ? 'base' : 'head'
      }
      for (const run of [...sides.base, ...sides.head]) {
        const span = (Date.parse(run.finishedAt) - Date.parse(run.startedAt)) / 1000 + VITEST_START_SECONDS
        for (const s of run.suites) seconds.set(s.suite, (seconds.get(s.suite) ?? 0) + span)
      }
      return { base: mergeRuns(sides.base), head: mergeRuns(sides.head), firstSide, seconds }
    })
}

function pct(x: number): string {
  return `${(x * 100).toFixed(1)}%`
}
