import type { Direction } from '../harness/metric.ts'
import type { Baseline, JudgedMetric, MeasuredSuite, Verdict } from './types.ts'

/**
 * Compares one figure with its baseline under a relative tolerance, direction-aware: for 'higher' metrics
 * a drop beyond the tolerance is a regression, for 'lower' metrics a rise is.
 */
export function judgeValue(
  value: number,
  baseline: number,
  direction: Direction,
  tolerance: number,
): { verdict: Verdict; change: number | null } {
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
 * as meaningful still counts when the metric is quieter than that: threshold = max(tolerance, K x noise).
 */
export const NOISE_K = 3

export const effectiveThreshold = (tolerance: number, noise: number | undefined) => Math.max(tolerance, NOISE_K * (noise ?? 0))

/** Every measured metric judged against the baseline, plus the baseline's metrics that were not measured. */
export function judgeSuite(measured: MeasuredSuite, baseline: Baseline | undefined): JudgedMetric[] {
  const judged: JudgedMetric[] = []
  const seen = new Set<string>()
  for (const m of measured.metrics) {
    const key = metricKey(m.test, m.name)
    seen.add(key)
    const base = baseline?.metrics[key]
    const threshold = effectiveThreshold(m.tolerance, base?.noise)
    const outcome = base ? judgeValue(m.value, base.value, m.direction, threshold) : { verdict: 'new' as const, change: null }
    judged.push({
      key,
      test: m.test,
      name: m.name,
      unit: m.unit,
      direction: m.direction,
      tolerance: m.tolerance,
      noise: base?.noise ?? null,
      threshold,
      value: m.value,
      baseline: base?.value ?? null,
      ...outcome,
    })
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
      verdict: 'missing',
    })
  }
  return judged
}
