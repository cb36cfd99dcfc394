import { uniformFloat64 } from 'pure-rand/distribution/uniformFloat64'
import { xoroshiro128plus } from 'pure-rand/generator/xoroshiro128plus'
import { mean, median, shuffleInPlace } from 'simple-statistics'
import type { ChangePoint } from '../../model/results.ts'

const MIN_SEGMENT = 3
const PERMUTATIONS = 999
export const CHANGE_POINT_ALPHA = 0.01

/**
 * The single most likely shift in a metric's history, if it is both significant and at least
 * `minimumEffect`. Binary segmentation's first step with the significance test of E-divisive (Matteson &
 * James 2014): the statistic is the largest weighted difference of segment means of log values over all
 * splits, sqrt(k(n-k)/n) x |mean(after) - mean(before)|, and its p-value comes from recomputing that maximum
 * on seeded random permutations of the history (so choosing the best split is accounted for). Hand-written:
 * no maintained JS package implements E-divisive; simple-statistics gives the parts.
 */
export function detectChangePoint(values: number[], minimumEffect: number): ChangePoint | null {
  const logs = values.filter((v) => v > 0).map(Math.log)
  if (logs.length !== values.length || logs.length < 2 * MIN_SEGMENT) return null
  const observed = bestSplit(logs)
  const rng = xoroshiro128plus(logs.length)
  const random = () => uniformFloat64(rng)
  let asExtreme = 0
  const shuffled = [...logs]
  for (let i = 0; i < PERMUTATIONS; i++) {
    shuffleInPlace(shuffled, random)
    if (bestSplit(shuffled).statistic >= observed.statistic) asExtreme++
  }
  const pValue = (asExtreme + 1) / (PERMUTATIONS + 1)
  const before = median(values.slice(0, observed.index))
  const after = median(values.slice(observed.index))
  const change = after / before - 1
  if (pValue >= CHANGE_POINT_ALPHA || Math.abs(change) < minimumEffect) return null
  return { index: observed.index, before, after, change, pValue }
}

function bestSplit(logs: number[]): { index: number; statistic: number } {
  let best = { index: MIN_SEGMENT, statistic: -1 }
  const n = logs.length
  for (let k = MIN_SEGMENT; k <= n - MIN_SEGMENT; k++) {
    const statistic = Math.sqrt((k * (n - k)) / n) * Math.abs(mean(logs.slice(k)) - mean(logs.slice(0, k)))
    if (statistic > best.statistic) best = { index: k, statistic }
  }
  return best
}
