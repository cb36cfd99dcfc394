import { medianAbsoluteDeviation, median as medianOf } from 'simple-statistics'
import type { RunResults } from '../../model/results.ts'
import type { RunPair } from '../paired.ts'

/** One metric's log ratios (head over base) in stored pairs, apart by which side ran first. */
export interface OrderGroups {
  base: number[]
  head: number[]
}

/**
 * A metric's paired log ratios, grouped by the side that ran first (per calibration workload when
 * `normalized`, as the judge compares micro-benchmarks). Pairs where either side lacks the metric, or
 * its value is not positive, are left out.
 */
export function orderGroups(pairs: RunPair[], suite: string, key: string, normalized: boolean): OrderGroups {
  const groups: OrderGroups = { base: [], head: [] }
  for (const pair of pairs) {
    const value = (r: RunResults) => {
      const found = r.suites.find((s) => s.suite === suite)?.metrics.find((m) => m.key === key)
      return normalized ? found?.perCalibration : found?.value
    }
    const [b, h] = [value(pair.base), value(pair.head)]
    const first = pair.firstSide?.[suite]
    if (typeof b === 'number' && typeof h === 'number' && b > 0 && h > 0 && first) groups[first].push(Math.log(h / b))
  }
  return groups
}

/**
 * The log ratios less their order group's median: what is left once the change and the order are taken out.
 * Empty unless both groups hold at least 2 ratios: one ratio is its own median, and leaves no residual.
 */
export const residuals = (groups: OrderGroups) =>
  groups.base.length < 2 || groups.head.length < 2 ? [] : [groups.base, groups.head].flatMap((g) => g.map((r) => r - medianOf(g)))

/**
 * The noise of one run as pairs measure it: the robust sd (1.4826 MAD) of the residuals over sqrt 2, since
 * a log ratio carries the noise of two runs. Robust, because a slow spell in one pair is not noise the
 * judge sees (it trims).
 */
export const pairedRunNoise = (rest: number[]) => (1.4826 * medianAbsoluteDeviation(rest)) / Math.SQRT2

/** Half the gap between the orders' medians: how much a side gains from running first (log scale). */
export const firstRunGain = (groups: OrderGroups) => (medianOf(groups.head) - medianOf(groups.base)) / 2
