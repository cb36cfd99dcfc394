import tCdf from '@stdlib/stats-base-dists-t-cdf'
import tQuantile from '@stdlib/stats-base-dists-t-quantile'
import { mean, sampleVariance } from 'simple-statistics'
import type { Direction } from '../../harness/metric.ts'

/**
 * The interval shown beside each paired change: 98%, so each side is a one-sided 1% bound. The verdict
 * does not read it: the run's verdicts are held to FAMILY_ALPHA together (reporters/stats/family.ts).
 */
export const INTERVAL_LEVEL = 0.98

/** What the judge knows about a metric's noise before the pairs: its baseline's between-run noise. */
export interface NoisePrior {
  /** Relative sd of one run's figure (the log scale, near enough, at these sizes). */
  noise: number
  /** Runs it was estimated from; their degrees of freedom are pooled with the pairs'. */
  runs: number
}

export interface PairedChange {
  pairs: number
  /** head/base - 1 from the trimmed mean paired log ratio. */
  change: number
  /** INTERVAL_LEVEL interval of the change, or null when no noise estimate exists. */
  interval: [number, number] | null
  /** One-sided p-values of "head is worse" and "head is better" under "no change". */
  pWorse: number
  pBetter: number
}

/**
 * Compares paired measurements of one metric (pair i ran base and head back to back) by a trimmed t-test
 * (Yuen's) on log ratios. Why a t-test and not the exact signed-rank test used before: a run of ~55 metrics
 * must hold its false alarms to 1% together, so each metric is tested near alpha 1%/55, and with n pairs a
 * rank test can reach no p-value below 2^-n (10 pairs: 0.001). The t statistic can, and its noise estimate
 * pools the pairs' own spread with the baseline's between-run noise (the prior), so a few pairs are enough
 * where the noise is known. The pairs' spread is always part of the estimate, so a metric noisier here than
 * its baseline says is not trusted blindly. Stepped figures (a search at 5% resolution) get at least their
 * quantisation noise.
 */
export function pairedChange(base: number[], head: number[], direction: Direction, prior?: NoisePrior, resolution = 0): PairedChange {
  if (base.length !== head.length) throw new Error(`paired samples differ in length: ${base.length} base vs ${head.length} head`)
  // Counts can be 0; a shift of one unit keeps their log ratios finite and small.
  const shift = [...base, ...head].some((v) => v <= 0) ? 1 : 0
  const logRatios = base.flatMap((b, i) => {
    const h = head[i] as number
    return Number.isFinite(b) && Number.isFinite(h) && b + shift > 0 && h + shift > 0 ? [Math.log((h + shift) / (b + shift))] : []
  })
  const n = logRatios.length
  if (n === 0) return { pairs: 0, change: 0, interval: null, pWorse: 1, pBetter: 1 }
  const { estimate, variance, df } = trimmedEstimate(logRatios, prior, resolution)
  const worseIsUp = direction === 'lower'
  if (df < 1 || variance === 0) {
    // No spread anywhere: every pair moved by exactly the same amount (or none did).
    const worse = worseIsUp ? estimate > 0 : estimate < 0
    const better = worseIsUp ? estimate < 0 : estimate > 0
    const decided = df >= 1
    return { pairs: n, change: Math.expm1(estimate), interval: null, pWorse: decided && worse ? 0 : 1, pBetter: decided && better ? 0 : 1 }
  }
  const se = Math.sqrt(variance)
  const t = estimate / se
  const up = 1 - tCdf(t, df)
  const down = tCdf(t, df)
  const half = tQuantile(1 - (1 - INTERVAL_LEVEL) / 2, df) * se
  return {
    pairs: n,
    change: Math.expm1(estimate),
    interval: [Math.expm1(estimate - half), Math.expm1(estimate + half)],
    pWorse: worseIsUp ? up : down,
    pBetter: worseIsUp ? down : up,
  }
}

/**
 * A baseline's noise is 1.4826 x MAD over its runs (reporters/calibration.ts): robust, but a MAD carries
 * only 37% of what a standard deviation knows about normal noise (its asymptotic efficiency), so each of
 * its runs' degrees of freedom counts 0.37. Counted whole, a 5-run baseline that happened to record a
 * quarter of the true noise made 2.5% of simulated unchanged runs red (paired-simulation.test.ts).
 */
export const PRIOR_EFFICIENCY = 0.37

/** Share of pairs trimmed from each end: one slow spell in ten pairs is common here, two are rare. */
export const TRIM = 0.1

/**
 * Yuen's trimmed mean of the log ratios and the variance of that mean. The winsorized variance of the pairs
 * is pooled with the prior's (a difference of two runs carries twice one run's variance), weighted by
 * degrees of freedom, and never below the quantisation noise of a stepped figure (uniform over one step,
 * on both sides). Trimming keeps a pair measured in a slow spell from carrying, or from hiding, a verdict.
 */
function trimmedEstimate(logRatios: number[], prior: NoisePrior | undefined, resolution: number) {
  const n = logRatios.length
  const sorted = [...logRatios].sort((a, b) => a - b)
  const g = Math.floor(TRIM * n)
  const kept = n - 2 * g
  const estimate = mean(sorted.slice(g, n - g))
  const winsorized = sorted.map((_, i) => sorted[Math.min(Math.max(i, g), n - g - 1)] as number)
  const sampleDf = kept - 1
  const sampleVar = n > 1 ? (sampleVariance(winsorized) * (n - 1)) / Math.max(kept - 1, 1) : 0
  const priorDf = prior && prior.runs > 1 ? PRIOR_EFFICIENCY * (prior.runs - 1) : 0
  const priorVar = prior ? 2 * prior.noise ** 2 : 0
  const df = sampleDf + priorDf
  const pooled = df > 0 ? (sampleDf * sampleVar + priorDf * priorVar) / df : 0
  const perPair = Math.max(pooled, (2 * resolution ** 2) / 12)
  return { estimate, variance: perPair / kept, df }
}
