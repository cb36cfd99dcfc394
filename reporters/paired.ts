import { median, probit } from 'simple-statistics'
import type { ComparedMetric, JudgedMetric, RunResults, SuiteResult } from '../model/results.ts'
import { FAMILY_ALPHA, holmRejects } from './stats/family.ts'
import {
  type FirstSide,
  MIN_PAIRS_PER_ORDER,
  type NoisePrior,
  type PairedChange,
  pairedChange,
  pooledPairVariance,
  yuenDf,
} from './stats/paired-change.ts'
import { summarize } from './verdict.ts'

/**
 * The practical minimum effect in paired mode: a change the test proves but that is smaller than 2% (or
 * than one step of a stepped figure) is not worth a red build. Paired noise and the family-wise test, not
 * a tolerance, guard against chance; single runs against a baseline keep their per-metric tolerances.
 */
export const MINIMUM_EFFECT = 0.02

/**
 * A run whose calibration workload ran below this fraction of the median over all runs was measured in
 * one of the machine's slow spells (seen here: 0.6x for seconds at a time, while calibration otherwise
 * varies ~1% between processes). Dividing by the calibration only partly cancels such a spell (one task
 * dropped to 0.37x while the calibration was at 0.63x), so the pair is replaced instead. The rule looks at
 * the calibration only, which is the same code on both sides, so it cannot favour base or head.
 */
export const SLOW_SPELL_FRACTION = 0.85

/** Per pair, the lowest calibration of either side as a fraction of that suite's median over all pairs. */
function calibrationShares(pairs: RunPair[]): number[] {
  const calibrations = (pair: RunPair) =>
    [...pair.base.suites, ...pair.head.suites].flatMap((s) => (s.calibration ? [[s.suite, s.calibration.opsPerSecond] as const] : []))
  const bySuite = new Map<string, number[]>()
  for (const [suite, value] of pairs.flatMap(calibrations)) bySuite.set(suite, [...(bySuite.get(suite) ?? []), value])
  const typical = new Map([...bySuite].map(([suite, values]) => [suite, median(values)]))
  return pairs.map((pair) => Math.min(1, ...calibrations(pair).map(([suite, value]) => value / (typical.get(suite) ?? value))))
}

/** Indexes of the pairs in which either side ran its calibration in a slow spell. */
export function slowSpellPairs(pairs: RunPair[]): number[] {
  return calibrationShares(pairs).flatMap((share, i) => (share < SLOW_SPELL_FRACTION ? [i] : []))
}

/**
 * The pairs a paired run keeps: those measured outside a slow spell. It measures until `wanted` are kept,
 * replacing spelled pairs up to as many again; `pnpm bench --against` and the simulation share it.
 * When the replacements run out (a machine that is slow a third of the time or more: seen under CI, 6 of 9
 * pairs), the mildest spelled pairs make up the number: judging 3 clean pairs left a -55% change unproven,
 * while every one of the 9 showed it. Which pairs fill up depends on the calibration only, so it cannot
 * favour base or head either.
 */
export function keptPairs(done: RunPair[], wanted: number): RunPair[] {
  const shares = calibrationShares(done)
  const clean = shares.flatMap((share, i) => (share >= SLOW_SPELL_FRACTION ? [i] : []))
  const mildestSpelled = shares
    .flatMap((share, i) => (share < SLOW_SPELL_FRACTION ? [i] : []))
    .sort((a, b) => (shares[b] ?? 0) - (shares[a] ?? 0))
  const kept = new Set([...clean, ...mildestSpelled.slice(0, Math.max(0, wanted - clean.length))])
  return done.filter((_, i) => kept.has(i))
}

export const needsAnotherPair = (done: RunPair[], wanted: number) =>
  done.length - slowSpellPairs(done).length < wanted && done.length < 2 * wanted

/** One interleaved pair: the base ref's run and the head's run, back to back on the same machine. */
export interface RunPair {
  base: RunResults
  head: RunResults
  /** Per suite, which side ran first (the order alternates; the judge estimates its effect away). */
  firstSide?: Record<string, FirstSide>
}

/**
 * Which side runs a suite first in a pair: base in one pair, head in the next, and alternating between
 * suites. `pnpm bench --against` runs in this order and the gate simulation models it.
 */
export const firstSideOf = (pairNumber: number, suiteIndex: number): FirstSide => ((pairNumber + suiteIndex) % 2 === 1 ? 'base' : 'head')

/**
 * One side of a pair, measured suite by suite (a vitest run each, so base and head of one suite run back to
 * back), as one run.
 */
export function mergeRuns(parts: RunResults[]): RunResults {
  const [first, last] = [parts[0], parts.at(-1)]
  if (!first || !last) throw new Error('mergeRuns needs at least one run')
  const suites = parts.flatMap((p) => p.suites)
  return {
    ...last,
    startedAt: first.startedAt,
    environmentNotes: [...new Set(parts.flatMap((p) => p.environmentNotes))],
    suites,
    errors: parts.flatMap((p) => p.errors),
    summary: summarize(suites),
  }
}

/**
 * Judges head against base from paired runs. Per metric, the change is the mean paired log ratio with a
 * one-sided t-test whose noise pools the pairs' spread with the baseline's (reporters/stats/paired-change.ts);
 * then the whole run is one family: a metric regresses only when Holm's procedure rejects it at FAMILY_ALPHA
 * (or the share of it a look of the gate spends) over every metric of every suite, and its change is worse
 * than the minimum effect. Micro-benchmarks are compared per calibration workload (their `perCalibration`
 * figure) when every run has one.
 */
export function judgePaired(pairs: RunPair[], against: RunResults['against'] & object, alpha = FAMILY_ALPHA): RunResults {
  const [first, last] = [pairs[0], pairs.at(-1)]
  if (!first || !last) throw new Error('paired mode needs at least one pair of runs')
  const tested: { suite: number; metric: number; test: PairedChange }[] = []
  // The first pair ran every suite; a confirmation pair (see suitesToConfirm) only some.
  const suites: SuiteResult[] = first.head.suites.map(({ suite }, suiteIndex) => {
    const own = pairs.filter((p) => p.head.suites.some((s) => s.suite === suite))
    const bases = own.map((p) => p.base.suites.find((s) => s.suite === suite))
    const heads = own.map((p) => p.head.suites.find((s) => s.suite === suite))
    const headSuite = heads.at(-1) as SuiteResult
    const failed = [...bases, ...heads].find((s) => s === undefined || s.status !== 'passed')
    if (failed !== undefined) {
      const why = failed?.reason ?? 'missing from a run (the base ref may not have this suite)'
      return { ...headSuite, status: failed?.status === 'skipped' ? 'skipped' : 'failed', reason: why, metrics: [] }
    }
    const firstSides = own.map((p) => p.firstSide?.[suite])
    const orders = firstSides.every((f) => f !== undefined) ? (firstSides as FirstSide[]) : undefined
    const metrics: JudgedMetric[] = []
    for (const m of headSuite.metrics) {
      const { judged, test } = compareMetric(m, bases as SuiteResult[], heads as SuiteResult[], orders)
      if (!judged) continue
      if (test) tested.push({ suite: suiteIndex, metric: metrics.length, test })
      metrics.push(judged)
    }
    return { ...headSuite, metrics }
  })
  // Primary figures first, as one family; the figures that explain a change (Metric.explains) are a family
  // of their own, tested in a direction only when a primary figure moved that way (serial gatekeeping). On
  // an unchanged pull request they are never tested, so they add no false alarm; they only say where a
  // change the primary figures show came from.
  const judgedAt = ({ suite, metric }: (typeof tested)[number]) => suites[suite]?.metrics[metric] as ComparedMetric
  const primary = tested.filter((t) => !judgedAt(t).explains)
  const explaining = tested.filter((t) => judgedAt(t).explains)
  const judgeFamily = (family: typeof tested, opens = { worse: true, better: true }) => {
    const worse = holmRejects(
      family.map((t) => t.test.pWorse),
      alpha,
    )
    const better = holmRejects(
      family.map((t) => t.test.pBetter),
      alpha,
    )
    for (const [i, t] of family.entries()) {
      const judged = judgedAt(t)
      const gain = judged.direction === 'higher' ? (judged.change ?? 0) : -(judged.change ?? 0)
      const minimum = judged.threshold ?? MINIMUM_EFFECT
      judged.verdict =
        opens.worse && worse[i] && gain < -minimum ? 'regressed' : opens.better && better[i] && gain > minimum ? 'improved' : 'unchanged'
    }
  }
  judgeFamily(primary)
  const moved = (verdict: string) => primary.some((t) => judgedAt(t).verdict === verdict)
  judgeFamily(explaining, { worse: moved('regressed'), better: moved('improved') })
  return {
    schemaVersion: 1,
    startedAt: pairs[0]?.base.startedAt ?? last.head.startedAt,
    finishedAt: last.head.finishedAt,
    mode: 'paired',
    against,
    environment: last.head.environment,
    environmentNotes: [],
    suites,
    errors: [],
    summary: summarize(suites),
  }
}

/**
 * One metric's paired comparison; its verdict is set once the whole family has been tested. A metric no
 * pair measured on both sides is `new` (head only), `missing` (base only), or dropped (neither).
 */
function compareMetric(
  side: JudgedMetric,
  bases: SuiteResult[],
  heads: SuiteResult[],
  orders?: FirstSide[],
): { judged?: JudgedMetric; test?: PairedChange } {
  // Each side's own verdict against baselines/ (and why it was incomparable there) does not carry over.
  const {
    reason: _,
    change: _c,
    interval: _i,
    value: _v,
    baseline: _b,
    verdict: _verdict,
    ...template
  } = side as JudgedMetric & { reason?: string }
  const find = (s: SuiteResult) => s.metrics.find((x) => x.key === template.key)
  // Per calibration workload when every run has it (both sides measure it beside the task), else raw.
  const normalized = [...bases, ...heads].every((s) => typeof find(s)?.perCalibration === 'number')
  const values = (suites: SuiteResult[]) => suites.map((s) => (normalized ? find(s)?.perCalibration : find(s)?.value) ?? Number.NaN)
  const [base, head] = [values(bases), values(heads)]
  const complete = base.map((_, i) => i).filter((i) => Number.isFinite(base[i]) && Number.isFinite(head[i]))
  const raw = (suites: SuiteResult[]) => medianOf(suites.map((s) => find(s)?.value ?? Number.NaN))
  const [value, baseline] = [raw(heads), raw(bases)]
  const common = { ...template, normalized, pairs: null }
  const uncompared = { change: null, interval: null }
  if (complete.length === 0 || value === null || baseline === null) {
    if (value !== null) return { judged: { ...common, ...uncompared, value, baseline: null, verdict: 'new' } }
    if (baseline !== null) return { judged: { ...common, ...uncompared, value: null, baseline, verdict: 'missing' } }
    return {}
  }
  const prior = priorOf(template)
  const resolution = template.resolution ?? 0
  const test = pairedChange(
    complete.map((i) => base[i] as number),
    complete.map((i) => head[i] as number),
    template.direction,
    prior,
    resolution,
    orders && complete.map((i) => orders[i] as FirstSide),
  )
  const threshold = Math.max(MINIMUM_EFFECT, resolution)
  return {
    judged: {
      ...common,
      value,
      baseline,
      threshold,
      change: test.change,
      interval: test.interval,
      pairs: test.pairs,
      pValue: test.pWorse,
      ...(test.pairNoise === null ? {} : { pairNoise: test.pairNoise }),
      verdict: 'unchanged',
    },
    test,
  }
}

/**
 * Unadjusted one-sided p-value below which a metric that did not regress is worth more pairs: a noisy
 * figure (a p99 varies 10-24% between runs here) cannot show a 25% rise in the first pairs at the family's
 * level, but it can look suspicious. Only the suites holding such a metric run again. Tried and measured
 * (gate-simulation.test.ts): a level shared by the whole run (25% / metrics tested) confirmed less often
 * but found a 25% higher p99 on the quieter testbed in 79% of runs instead of 90%+. At 0.05, a 5% slower
 * micro-benchmark under the bimodal noise model was found in 94.3% of 40,000 simulated runs, short of 95%;
 * at 0.1 in 97.8%, for about 16% more suite runs on an unchanged pull request (paired-simulation.test.ts,
 * gate-simulation.test.ts).
 */
export const CONFIRM_LEVEL = 0.1

/**
 * How much more likely than the family's strictest level (Holm's first step) a suspicion's projected
 * p-value may be and still be worth more pairs. Over ~90 metrics some are below CONFIRM_LEVEL by chance in
 * about 1 unchanged run in 3, each costing 5 to 10 more pairs of its suite; many are changes that the
 * confirmation's pairs could never prove at their noise. The slack keeps those whose projection falls a
 * little short (the change seen in 6 pairs is itself noisy).
 */
export const CONFIRM_SLACK = 10

/** When a suspicion is worth more pairs: `finalPairs` pairs at the end, judged at `alpha` over the family. */
export interface ConfirmPromise {
  finalPairs: number
  alpha: number
}

/**
 * The suites with a metric worth confirming: worse than the minimum effect, suspicious, not yet regressed,
 * and, given `promise`, a change that `finalPairs` pairs could prove if it is real and as large as it
 * looks: its z at `finalPairs` must clear the family's first Holm step, with CONFIRM_SLACK. The noise of
 * that z is the one the last look will pool (reporters/stats/paired-change.ts): the pairs' own noise as
 * measured so far, with the degrees of freedom `finalPairs` will give it, and the baseline's. The pooled
 * p-value of 6 pairs would not do: there the baseline's noise weighs a third, and a baseline recorded
 * across a session (or on another machine) can be 8x noisier than back-to-back pairs (validate here: 4.9%
 * against 0.6%), which hid a 5% change that 16 pairs prove. Normal approximations are enough: this only
 * decides where more pairs go, never a verdict, so it cannot cost a false alarm.
 */
export function suitesToConfirm(results: RunResults, promise?: ConfirmPromise): string[] {
  const primary = results.suites.flatMap((s) => s.metrics).filter((m) => !m.explains && typeof m.pValue === 'number')
  const needed = promise ? probit(1 - (CONFIRM_SLACK * promise.alpha) / Math.max(1, primary.length)) : 0
  const promising = (m: JudgedMetric) => {
    if (!promise || !m.pairs || m.pairs >= promise.finalPairs) return true
    if (typeof m.pairNoise !== 'number')
      return probit(1 - Math.max(m.pValue ?? 1, 1e-12)) * Math.sqrt(promise.finalPairs / m.pairs) > needed
    const final = promise.finalPairs
    // At the last look both orders have at least MIN_PAIRS_PER_ORDER pairs, so the order effect is estimated.
    const sampleDf = yuenDf(final, final / 2 >= MIN_PAIRS_PER_ORDER)
    const { perPair } = pooledPairVariance(m.pairNoise ** 2, sampleDf, priorOf(m), m.resolution ?? 0)
    // Quantiles, not p-values: simple-statistics' normal CDF is a table that stops at 0.999.
    return Math.abs(Math.log1p(m.change ?? 0)) / Math.sqrt(perPair / final) > needed
  }
  const suspicious = (m: JudgedMetric) => {
    const gain = m.direction === 'higher' ? (m.change ?? 0) : -(m.change ?? 0)
    // A figure that only explains a change (Metric.explains) is no reason for more pairs.
    return (
      !m.explains && m.verdict === 'unchanged' && (m.pValue ?? 1) < CONFIRM_LEVEL && gain < -(m.threshold ?? MINIMUM_EFFECT) && promising(m)
    )
  }
  return results.suites.filter((s) => s.metrics.some(suspicious)).map((s) => s.suite)
}

/** What the judge knows of a metric's noise before the pairs: its baseline's, with the runs behind it. */
const priorOf = (m: Pick<JudgedMetric, 'noise' | 'noiseRuns'>): NoisePrior | undefined =>
  m.noise !== null && m.noiseRuns ? { noise: m.noise, runs: m.noiseRuns } : undefined

function medianOf(values: number[]): number | null {
  const finite = values.filter(Number.isFinite)
  return finite.length === 0 ? null : median(finite)
}
