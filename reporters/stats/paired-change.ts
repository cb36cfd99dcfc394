import signrankCdf from '@stdlib/stats-base-dists-signrank-cdf'
import { median } from 'simple-statistics'
import type { Direction } from '../../harness/metric.ts'

/**
 * One-sided false-alarm rate per metric and direction. With the exact signed-rank distribution the rate
 * holds whatever the shape of the noise (log-normal, bimodal, heavy-tailed), as long as base and head
 * runs are exchangeable under "no change" — which interleaving them is for.
 */
export const PAIRED_ALPHA = 0.01

export interface PairedChange {
  pairs: number
  /** Hodges-Lehmann estimate of head/base - 1: the median of the pairwise-averaged log ratios. */
  change: number
  /** Its exact distribution-free confidence interval at 1 - 2 x alpha, or null when too few pairs. */
  interval: [number, number] | null
  /** Whether the interval excludes "no change" on the worse side / on the better side. */
  significantlyWorse: boolean
  significantlyBetter: boolean
}

/**
 * Compares paired measurements of one metric (pair i ran base and head back to back) by the Wilcoxon
 * signed-rank procedure on log ratios: rank-based, so one wild pair cannot carry the verdict, and exact.
 * Written here because no maintained JS library gives the Hodges-Lehmann interval; the null distribution
 * comes from stdlib.
 */
export function pairedChange(base: number[], head: number[], direction: Direction, alpha = PAIRED_ALPHA): PairedChange {
  if (base.length !== head.length) throw new Error(`paired samples differ in length: ${base.length} base vs ${head.length} head`)
  const logRatios = base.flatMap((b, i) => {
    const h = head[i] as number
    return b > 0 && h > 0 ? [Math.log(h / b)] : []
  })
  const n = logRatios.length
  if (n === 0) return { pairs: 0, change: 0, interval: null, significantlyWorse: false, significantlyBetter: false }
  const walsh: number[] = []
  for (let i = 0; i < n; i++) for (let j = i; j < n; j++) walsh.push(((logRatios[i] as number) + (logRatios[j] as number)) / 2)
  walsh.sort((a, b) => a - b)
  const estimate = median(walsh)
  const c = criticalCount(n, alpha)
  const interval: [number, number] | null = c === null ? null : [walsh[c] as number, walsh[walsh.length - 1 - c] as number]
  const worseIsUp = direction === 'lower'
  const above = interval !== null && interval[0] > 0
  const below = interval !== null && interval[1] < 0
  return {
    pairs: n,
    change: Math.expm1(estimate),
    interval: interval && [Math.expm1(interval[0]), Math.expm1(interval[1])],
    significantlyWorse: worseIsUp ? above : below,
    significantlyBetter: worseIsUp ? below : above,
  }
}

/**
 * The largest c with P(W+ <= c) <= alpha under no change, or null when even c = 0 is too likely (n < 7 at
 * alpha 1%). The sorted Walsh averages at c and M-1-c (0-based) bound the 1 - 2 alpha interval.
 */
function criticalCount(n: number, alpha: number): number | null {
  let c: number | null = null
  for (let w = 0; w <= (n * (n + 1)) / 2 && signrankCdf(w, n) <= alpha; w++) c = w
  return c
}

/** Pairs needed before any interval exists at `alpha` (7 at 1%). */
export function minimumPairs(alpha = PAIRED_ALPHA): number {
  for (let n = 1; n < 64; n++) if (criticalCount(n, alpha) !== null) return n
  throw new Error(`alpha ${alpha} is too small`)
}
