import { median } from 'simple-statistics'
import { pairedChange } from './stats/paired-change.ts'
import type { JudgedMetric, RunResults, SuiteResult, Verdict } from './types.ts'
import { summarize } from './verdict.ts'

/**
 * The practical minimum effect in paired mode: a change the interval proves but that is smaller than 2%
 * is not worth a red build. Paired noise, not a tolerance, guards against chance, so one figure serves
 * every metric; single runs against a baseline keep their per-metric tolerances.
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

/** Indexes of the pairs in which either side ran its calibration in a slow spell. */
export function slowSpellPairs(pairs: RunPair[]): number[] {
  const calibrations = (pair: RunPair) =>
    [...pair.base.suites, ...pair.head.suites].flatMap((s) => (s.calibration ? [[s.suite, s.calibration.opsPerSecond] as const] : []))
  const bySuite = new Map<string, number[]>()
  for (const [suite, value] of pairs.flatMap(calibrations)) bySuite.set(suite, [...(bySuite.get(suite) ?? []), value])
  const typical = new Map([...bySuite].map(([suite, values]) => [suite, median(values)]))
  return pairs.flatMap((pair, i) =>
    calibrations(pair).some(([suite, value]) => value < SLOW_SPELL_FRACTION * (typical.get(suite) ?? 0)) ? [i] : [],
  )
}

/** One interleaved pair: the base ref's run and the head's run, back to back on the same machine. */
export interface RunPair {
  base: RunResults
  head: RunResults
}

/**
 * Judges head against base from paired runs. Per metric, the change is the Hodges-Lehmann estimate of the
 * paired ratios with its exact interval; a regression needs both: the interval excludes "no change" on the
 * worse side (significance, one-sided alpha) and the estimate is worse than MINIMUM_EFFECT. Micro-benchmarks
 * are compared per calibration workload (their `perCalibration` figure) when every run has one.
 */
export function judgePaired(pairs: RunPair[], against: RunResults['against'] & object): RunResults {
  const last = pairs.at(-1)
  if (!last) throw new Error('paired mode needs at least one pair of runs')
  const suites: SuiteResult[] = last.head.suites.map((headSuite) => {
    const bySide = (side: 'base' | 'head') => pairs.map((p) => p[side].suites.find((s) => s.suite === headSuite.suite))
    const [bases, heads] = [bySide('base'), bySide('head')]
    const failed = [...bases, ...heads].find((s) => s === undefined || s.status !== 'passed')
    if (failed !== undefined || headSuite.status !== 'passed') {
      const why = failed?.reason ?? headSuite.reason ?? 'missing from a run (the base ref may not have this suite)'
      return { ...headSuite, status: failed?.status === 'skipped' ? 'skipped' : 'failed', reason: why, metrics: [] }
    }
    const metrics = headSuite.metrics.map((m) => judgeMetric(m, bases as SuiteResult[], heads as SuiteResult[]))
    return { ...headSuite, metrics }
  })
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

function judgeMetric(template: JudgedMetric, bases: SuiteResult[], heads: SuiteResult[]): JudgedMetric {
  const find = (s: SuiteResult) => s.metrics.find((x) => x.key === template.key)
  // Per calibration workload when every run has it (both sides measure it beside the task), else raw.
  const normalized = [...bases, ...heads].every((s) => typeof find(s)?.perCalibration === 'number')
  const values = (suites: SuiteResult[]) => suites.map((s) => (normalized ? find(s)?.perCalibration : find(s)?.value) ?? Number.NaN)
  const [base, head] = [values(bases), values(heads)]
  const complete = base.map((_, i) => i).filter((i) => Number.isFinite(base[i]) && Number.isFinite(head[i]))
  const raw = (suites: SuiteResult[]) => medianOf(suites.map((s) => find(s)?.value ?? Number.NaN))
  const common = { ...template, noise: null, normalized, value: raw(heads), baseline: raw(bases) }
  if (complete.length === 0) return { ...common, change: null, interval: null, pairs: null, verdict: 'new' }
  const result = pairedChange(
    complete.map((i) => base[i] as number),
    complete.map((i) => head[i] as number),
    template.direction,
  )
  const better = template.direction === 'higher' ? result.change : -result.change
  const verdict: Verdict =
    result.significantlyWorse && better < -MINIMUM_EFFECT
      ? 'regressed'
      : result.significantlyBetter && better > MINIMUM_EFFECT
        ? 'improved'
        : 'unchanged'
  return { ...common, threshold: MINIMUM_EFFECT, change: result.change, interval: result.interval, pairs: result.pairs, verdict }
}

function medianOf(values: number[]): number | null {
  const finite = values.filter(Number.isFinite)
  return finite.length === 0 ? null : median(finite)
}
