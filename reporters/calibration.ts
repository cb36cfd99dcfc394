import { median, medianAbsoluteDeviation } from 'simple-statistics'
import type { Baseline, BaselineMetric, RunResults } from '../model/results.ts'
import { metricKey } from './verdict.ts'

/** 1.4826 x MAD estimates the standard deviation of normal data, and unlike sd ignores one wild run. */
const MAD_TO_SD = 1.4826
/** Fewer runs than this give no usable spread; the baseline then records none and tolerances alone judge. */
export const MIN_RUNS_FOR_NOISE = 3

export type CalibrationOutcome = { suite: string; baseline: Baseline } | { suite: string; skipped: string }

/**
 * New baselines from N runs of the same suites: each metric's median, its between-run noise (robust
 * relative standard deviation) and the number of runs. A suite that failed or was skipped in any run gets
 * no new baseline: a partial or broken measurement must never replace an accepted one.
 */
export function baselinesFromRuns(runs: RunResults[], recordedAt: string): CalibrationOutcome[] {
  const suites = [...new Set(runs.flatMap((r) => r.suites.map((s) => s.suite)))]
  const last = runs.at(-1)?.environment
  if (!last) return []
  // The testbed's speed: the median of the runs' calibrations, so one run in a slow spell does not set it.
  const speeds = runs.flatMap((r) => (r.environment.calibration ? [r.environment.calibration] : []))
  const environment =
    speeds.length === runs.length && new Set(speeds.map((c) => c.version)).size === 1
      ? { ...last, calibration: { opsPerSecond: median(speeds.map((c) => c.opsPerSecond)), version: speeds[0]?.version as number } }
      : last
  return suites.map((suite) => {
    const perRun = runs.map((r) => r.suites.find((s) => s.suite === suite))
    const bad = perRun.find((s) => s === undefined || s.status !== 'passed')
    if (bad !== undefined || perRun.length === 0) {
      return { suite, skipped: bad ? `${bad.status} in at least one run${bad.reason ? `: ${bad.reason}` : ''}` : 'not run in every run' }
    }
    type Entry = { values: number[]; relative: number[]; unit: string; direction: BaselineMetric['direction']; explains?: boolean }
    const values = new Map<string, Entry>()
    for (const s of perRun) {
      for (const m of s?.metrics ?? []) {
        if (m.value === null) continue
        const key = metricKey(m.test, m.name)
        const entry = values.get(key) ?? { values: [], relative: [], unit: m.unit, direction: m.direction, explains: m.explains }
        entry.values.push(m.value)
        if (m.perCalibration !== null) entry.relative.push(m.perCalibration)
        values.set(key, entry)
      }
    }
    const metrics: Record<string, BaselineMetric> = {}
    for (const [key, { values: v, relative, unit, direction, explains }] of values) {
      if (v.length < runs.length) continue // measured in only some runs: not a stable figure
      // The noise of the figure that will be judged: per calibration workload when every run had it.
      const judged = relative.length === v.length ? relative : v
      const mid = median(judged)
      const spread = v.length >= MIN_RUNS_FOR_NOISE && mid !== 0
      const noise = spread ? (MAD_TO_SD * medianAbsoluteDeviation(judged)) / Math.abs(mid) : undefined
      const worstRun = spread ? worstRelativeMove(judged, mid, direction) : undefined
      metrics[key] = {
        value: median(v),
        unit,
        direction,
        runs: v.length,
        ...(explains ? { explains } : {}),
        ...(judged === relative ? { perCalibration: mid } : {}),
        ...(noise === undefined ? {} : { noise }),
        ...(worstRun === undefined ? {} : { worstRun }),
      }
    }
    const calibrations = perRun.flatMap((s) => (s?.calibration ? [s.calibration] : []))
    const calibration =
      calibrations.length === perRun.length && new Set(calibrations.map((c) => c.version)).size === 1
        ? { opsPerSecond: median(calibrations.map((c) => c.opsPerSecond)), version: calibrations[0]?.version as number }
        : undefined
    return { suite, baseline: { schemaVersion: 1, suite, recordedAt, environment, ...(calibration ? { calibration } : {}), metrics } }
  })
}

/** The largest relative move of one run from the median in the metric's bad direction, 0 if none was worse. */
function worstRelativeMove(values: number[], mid: number, direction: BaselineMetric['direction']): number {
  const worse = values.map((v) => (direction === 'lower' ? v - mid : mid - v) / Math.abs(mid))
  return Math.max(0, ...worse)
}
