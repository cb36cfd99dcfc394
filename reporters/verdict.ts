import type { Direction } from '../model/metric.ts'
import type {
  Baseline,
  Calibration,
  ComparedMetric,
  JudgedMetric,
  MeasuredSuite,
  RunResults,
  SuiteResult,
  TestbedComparison,
  Verdict,
} from '../model/results.ts'

/**
 * Compares one figure with its baseline under a relative tolerance, direction-aware: for 'higher' metrics
 * a drop beyond the tolerance is a regression, for 'lower' metrics a rise is.
 */
export function judgeValue(
  value: number,
  baseline: number,
  direction: Direction,
  tolerance: number,
): { verdict: ComparedMetric['verdict']; change: number | null } {
  if (baseline === 0) {
    // No relative change exists; only the direction of the move counts.
    if (value === 0) return { verdict: 'unchanged', change: 0 }
    return { verdict: value > 0 === (direction === 'higher') ? 'improved' : 'regressed', change: null }
  }
  const change = (value - baseline) / Math.abs(baseline)
  const better = direction === 'higher' ? change : -change
  if (better < -tolerance) return { verdict: 'regressed', change }
  if (better > tolerance) return { verdict: 'improved', change }
  return { verdict: 'unchanged', change }
}

export const metricKey = (test: string, name: string) => `${test} › ${name}`

/**
 * How many noise widths a change must exceed. With a robust sd from >= 3 runs, 3 sd keeps false alarms on
 * a stable metric near 0.3% per metric (normal tails), while a change the suite's tolerance already names
 * as meaningful still counts when the metric is quieter than that: threshold = max(tolerance, K x noise)
 * (and judgeSuite widens it to the baseline's worst run).
 */
export const NOISE_K = 3

export const effectiveThreshold = (tolerance: number, noise: number | undefined) => Math.max(tolerance, NOISE_K * (noise ?? 0))

/**
 * How much faster this run's process ran the calibration workload than the baseline's did, when both
 * measured the same version of it; undefined otherwise (then nothing is normalised).
 */
export function speedRatio(current: Calibration | undefined, baseline: Calibration | undefined): number | undefined {
  if (!current || !baseline || current.version !== baseline.version || baseline.opsPerSecond <= 0) return undefined
  return current.opsPerSecond / baseline.opsPerSecond
}

/**
 * Every measured metric judged against the baseline, plus the baseline's metrics that were not measured.
 * On another testbed than the baseline's, a figure that depends on the machine's speed is `incomparable`:
 * only those that transfer (counts, exactness checks) are judged. Figures per calibration workload do not:
 * measured here, AMD EPYC to Intel Xeon moved one by -11%, a CPU quota of 0.6 cores another by -18%.
 */
export function judgeSuite(measured: MeasuredSuite, baseline: Baseline | undefined, testbed?: TestbedComparison): JudgedMetric[] {
  const judged: JudgedMetric[] = []
  const seen = new Set<string>()
  for (const m of measured.metrics) {
    const key = metricKey(m.test, m.name)
    seen.add(key)
    const base = baseline?.metrics[key]
    // Never tighter than the baseline's own worst run: a figure with two modes has a small robust noise.
    const threshold = Math.max(effectiveThreshold(m.tolerance, base?.noise), m.resolution ?? 0, base?.worstRun ?? 0)
    // Per calibration workload on both sides when both have it: the machine's speed then cancels out.
    const normalized = m.perCalibration !== undefined && base?.perCalibration !== undefined
    const fields = {
      key,
      test: m.test,
      name: m.name,
      unit: m.unit,
      direction: m.direction,
      tolerance: m.tolerance,
      noise: base?.noise ?? null,
      ...(base?.noise !== undefined && base.runs ? { noiseRuns: base.runs } : {}),
      ...(m.resolution ? { resolution: m.resolution } : {}),
      ...(m.explains ? { explains: true } : {}),
      threshold,
      value: m.value,
      pairs: null,
      perCalibration: m.perCalibration ?? null,
      normalized,
      ...(m.summary ? { summary: m.summary } : {}),
    }
    const uncompared = { change: null, interval: null }
    if (!base) {
      judged.push({ ...fields, ...uncompared, baseline: null, verdict: 'new' })
    } else if (testbed && !testbed.same && m.transfers !== true) {
      judged.push({ ...fields, ...uncompared, baseline: base.value, verdict: 'incomparable', reason: incomparableReason(testbed) })
    } else {
      const outcome = normalized
        ? judgeValue(m.perCalibration as number, base.perCalibration as number, m.direction, threshold)
        : judgeValue(m.value, base.value, m.direction, threshold)
      judged.push({ ...fields, ...outcome, baseline: base.value, interval: noiseInterval(outcome.change, base.noise, base.runs) })
    }
  }
  for (const [key, base] of Object.entries(baseline?.metrics ?? {})) {
    if (seen.has(key)) continue
    const [test = key, name = key] = key.split(' › ')
    judged.push({
      key,
      test,
      name,
      unit: base.unit,
      direction: base.direction,
      tolerance: null,
      noise: base.noise ?? null,
      threshold: null,
      value: null,
      baseline: base.value,
      change: null,
      interval: null,
      pairs: null,
      perCalibration: null,
      normalized: false,
      verdict: 'missing',
    })
  }
  return judged
}

function incomparableReason(testbed: TestbedComparison): string {
  return (
    `measured on another testbed than the baseline's (${testbed.differences.join('; ')}), and this figure depends on the machine's speed; ` +
    "for a verdict on this machine compare with a ref here (pnpm bench --against REF), or record this testbed's baseline (pnpm bench:update)"
  )
}

/**
 * A 95% interval for a single run's change, from the baseline's between-run noise: the run and the
 * baseline median both carry it (the median of n runs about 1.25 sd/sqrt(n)). Null without recorded noise.
 */
function noiseInterval(change: number | null, noise: number | undefined, runs: number | undefined): [number, number] | null {
  if (change === null || noise === undefined || !runs) return null
  const half = 1.96 * noise * Math.sqrt(1 + 1.57 / runs)
  return [change - half, change + half]
}

/** Verdict counts and failed / skipped suites, for headlines and exit codes. */
/**
 * A single run's figures that explain a change (Metric.explains) count only behind a primary figure that
 * moved the same way somewhere in the run, as in paired mode (reporters/paired.ts): alone, a GC pause p99
 * beyond its threshold is 'unchanged', so an unchanged tree is not red for one. Returns new suites.
 */
export function gateExplaining(suites: SuiteResult[]): SuiteResult[] {
  const primary = suites.flatMap((s) => s.metrics).filter((m) => !m.explains)
  const open = { regressed: primary.some((m) => m.verdict === 'regressed'), improved: primary.some((m) => m.verdict === 'improved') }
  return suites.map((suite) => ({
    ...suite,
    metrics: suite.metrics.map((m) =>
      m.explains && (m.verdict === 'regressed' || m.verdict === 'improved') && !open[m.verdict] ? { ...m, verdict: 'unchanged' } : m,
    ),
  }))
}

export function summarize(suites: SuiteResult[]): RunResults['summary'] {
  const counts: Record<Verdict, number> = { improved: 0, unchanged: 0, regressed: 0, new: 0, missing: 0, incomparable: 0 }
  for (const m of suites.flatMap((s) => s.metrics)) counts[m.verdict]++
  return {
    ...counts,
    failedSuites: suites.filter((s) => s.status === 'failed').length,
    skippedSuites: suites.filter((s) => s.status === 'skipped').length,
  }
}
