import fCdf from '@stdlib/stats-base-dists-f-cdf'
import tCdf from '@stdlib/stats-base-dists-t-cdf'
import tQuantile from '@stdlib/stats-base-dists-t-quantile'
import { mean, median, sampleVariance } from 'simple-statistics'
import type { Direction } from '../../model/metric.ts'

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
  /** The pairs' own sd of one pair's log ratio, before pooling with the prior; null below 2 kept pairs. */
  pairNoise: number | null
}

/**
 * Compares paired measurements of one metric (pair i ran base and head back to back) by a trimmed t-test
 * (Yuen's) on log ratios. Why a t-test and not the exact signed-rank test used before: a run of ~55 metrics
 * must hold its false alarms to 1% together, so each metric is tested near alpha 1%/55, and with n pairs a
 * rank test can reach no p-value below 2^-n (10 pairs: 0.001). The t statistic can, and its noise estimate
 * pools the pairs' own spread with the baseline's between-run noise (the prior), so a few pairs are enough
 * where the noise is known. The pairs' spread is always part of the estimate, so a metric noisier here than
 * its baseline says is not trusted blindly. Stepped figures (a search at 5% resolution) get at least their
 * quantisation noise. `firstSides`, when known, says which side ran first in each pair (see withoutOrderEffect).
 */
export function pairedChange(
  base: number[],
  head: number[],
  direction: Direction,
  prior?: NoisePrior,
  resolution = 0,
  firstSides?: FirstSide[],
): PairedChange {
  if (base.length !== head.length) throw new Error(`paired samples differ in length: ${base.length} base vs ${head.length} head`)
  if (firstSides && firstSides.length !== base.length) throw new Error(`${firstSides.length} run orders for ${base.length} pairs`)
  // Counts can be 0; a shift of one unit keeps their log ratios finite and small.
  const shift = [...base, ...head].some((v) => v <= 0) ? 1 : 0
  const ratios = base.flatMap((b, i) => {
    const h = head[i] as number
    const valid = Number.isFinite(b) && Number.isFinite(h) && b + shift > 0 && h + shift > 0
    return valid ? [{ logRatio: Math.log((h + shift) / (b + shift)), first: firstSides?.[i] }] : []
  })
  const n = ratios.length
  if (n === 0) return { pairs: 0, change: 0, interval: null, pWorse: 1, pBetter: 1, pairNoise: null }
  // A count that is mostly 0 (shifted) runs no faster for going first; bursts in two pairs of one order
  // would pass for an order effect.
  const adjusted = shift ? { values: ratios.map((r) => r.logRatio), estimated: false } : withoutOrderEffect(ratios)
  const { estimate, variance, df, sampleVar, sampleDf } = trimmedEstimate(adjusted.values, adjusted.estimated, prior, resolution)
  const pairNoise = sampleDf > 0 ? Math.sqrt(sampleVar) : null
  const worseIsUp = direction === 'lower'
  if (df < 1 || variance === 0) {
    // No spread anywhere: every pair moved by exactly the same amount (or none did).
    const worse = worseIsUp ? estimate > 0 : estimate < 0
    const better = worseIsUp ? estimate < 0 : estimate > 0
    const decided = df >= 1
    return {
      pairs: n,
      change: Math.expm1(estimate),
      interval: null,
      pWorse: decided && worse ? 0 : 1,
      pBetter: decided && better ? 0 : 1,
      pairNoise,
    }
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
    pairNoise,
  }
}

/**
 * A baseline's noise is 1.4826 x MAD over its runs (reporters/calibration.ts): robust, but a MAD carries
 * only 37% of what a standard deviation knows about normal noise (its asymptotic efficiency), so each of
 * its runs' degrees of freedom counts 0.37. Counted whole, a 5-run baseline that happened to record a
 * quarter of the true noise made 2.5% of simulated unchanged runs red (paired-simulation.test.ts).
 */
export const PRIOR_EFFICIENCY = 0.37

/**
 * When the pairs' own spread is this improbably far below the prior's (the lower tail of an F test of the
 * two variances, each with its degrees of freedom), the prior is set aside: the baseline's runs were spread
 * by a drift that pairing cancels (validate here: 4.9% between a baseline's runs recorded across a session,
 * 1.0% within pairs), and pooling it hid a 5% change that 16 pairs had measured at p 1e-4. Set aside only
 * at this extreme, it adds almost nothing to an unchanged run's false alarms where the prior is right (the
 * gate simulation over both testbeds).
 */
export const PRIOR_CONFLICT = 1e-4

/**
 * Share of pairs trimmed from each end (Yuen's usual 20%). It has to reach one pair of the default 6: a
 * suite without a calibration workload keeps a pair measured in a slow spell (one scenario at ~0.6x, in
 * about 1 suite run in 20), and untrimmed that one pair took a planted 10% capacity loss to -2% with a
 * p-value of 0.4. At 10% no pair of 6 (nor of 8 per order) was ever trimmed.
 */
export const TRIM = 0.17

/** Which side of a pair ran first. */
export type FirstSide = 'base' | 'head'

/**
 * Fewer pairs per order are too few to take the order's effect out: with 3, two pairs of one order measured
 * in slow spells (or a count that burst in both) passed for an order effect, the rest agreed closely, and
 * 1.1% of 2,000 simulated unchanged gates went red over the baselines of 2026-12-06 (0.40% of 1,000 with 4).
 * The first stage's 6 pairs are balanced 3 and 3 (reporters/paired-gate.ts), so their plain trimmed mean
 * keeps the effect out of the change, and its spread counts as noise; the confirmation's 16 pairs take it out.
 */
export const MIN_PAIRS_PER_ORDER = 4

/**
 * The log ratios with the effect of running first taken out, when every pair's order is known and each
 * order has at least MIN_PAIRS_PER_ORDER pairs; else as they are. On these machines the order matters: in
 * A/A pairs of back-to-back runs the first run of the API suite served 10-13% more requests than the
 * second, whichever side it was. Alternating the order keeps that out of the change only when both orders
 * are equally many; removing it (a crossover design's period effect) keeps it out of the change and out of
 * the noise, where it would otherwise hide a real change. The effect is half the difference of the two
 * orders' medians, so that a pair measured in a slow spell moves it little; `estimated` says whether it
 * cost a degree of freedom.
 */
function withoutOrderEffect(ratios: { logRatio: number; first: FirstSide | undefined }[]): { values: number[]; estimated: boolean } {
  const values = ratios.map((r) => r.logRatio)
  const [headFirst, baseFirst] = (['head', 'base'] as const).map((side) => ratios.filter((r) => r.first === side).map((r) => r.logRatio))
  const everyPairKnown = (headFirst?.length ?? 0) + (baseFirst?.length ?? 0) === ratios.length
  if (!everyPairKnown || !headFirst || !baseFirst || Math.min(headFirst.length, baseFirst.length) < MIN_PAIRS_PER_ORDER)
    return { values, estimated: false }
  const effect = (median(headFirst) - median(baseFirst)) / 2
  return { values: ratios.map((r) => r.logRatio - (r.first === 'head' ? effect : -effect)), estimated: true }
}

/**
 * Yuen's trimmed mean of the (order-adjusted) log ratios and the variance of that mean: the winsorized
 * spread of all pairs together, so trimming reaches a wild pair however the orders fall. That is pooled
 * with the prior's variance (a difference of two runs carries twice one run's), weighted by degrees of
 * freedom, and never below the quantisation noise of a stepped figure (uniform over one step, on both
 * sides). Trimming keeps a pair measured in a slow spell from carrying, or from hiding, a verdict.
 */
function trimmedEstimate(values: number[], orderEstimated: boolean, prior: NoisePrior | undefined, resolution: number) {
  const n = values.length
  const sorted = [...values].sort((a, b) => a - b)
  const g = Math.floor(TRIM * n)
  const kept = n - 2 * g
  const winsorized = sorted.map((_, i) => sorted[Math.min(Math.max(i, g), n - g - 1)] as number)
  const estimate = mean(sorted.slice(g, n - g))
  const sampleDf = yuenDf(n, orderEstimated)
  // Yuen's variance of the trimmed mean is SSW / (kept (kept - 1)); times n, it is on one scale with the
  // prior's per-pair variance (near the trimmed mean's true variance on normal noise, ~1.06 / n of a pair's).
  const sampleVar = kept > 1 ? (sampleVariance(winsorized) * (n - 1) * n) / (kept * (kept - 1)) : 0
  const { perPair, df } = pooledPairVariance(sampleVar, sampleDf, prior, resolution)
  return { estimate, variance: perPair / n, df, sampleVar, sampleDf }
}

/** Yuen's degrees of freedom of n pairs' own variance, less one for an estimated order effect. */
export function yuenDf(n: number, orderEstimated: boolean): number {
  const kept = n - 2 * Math.floor(TRIM * n)
  return Math.max(0, kept - 1 - (orderEstimated ? 1 : 0))
}

/**
 * One pair's variance as the test takes it: the pairs' own (`sampleDf` degrees of freedom) pooled with the
 * prior's (a difference of two runs carries twice one run's), weighted by degrees of freedom, and never
 * below the quantisation noise of a stepped figure (uniform over one step, on both sides). The confirmation
 * rule (reporters/paired.ts, suitesToConfirm) projects the last look's with it.
 */
export function pooledPairVariance(sampleVar: number, sampleDf: number, prior: NoisePrior | undefined, resolution: number) {
  const priorVar = prior ? 2 * prior.noise ** 2 : 0
  const priorRunsDf = prior && prior.runs > 1 ? PRIOR_EFFICIENCY * (prior.runs - 1) : 0
  const conflicts = sampleDf > 0 && priorVar > 0 && priorRunsDf > 0 && fCdf(sampleVar / priorVar, sampleDf, priorRunsDf) < PRIOR_CONFLICT
  const priorDf = conflicts ? 0 : priorRunsDf
  const df = sampleDf + priorDf
  const pooled = df > 0 ? (sampleDf * sampleVar + priorDf * priorVar) / df : 0
  return { perPair: Math.max(pooled, (2 * resolution ** 2) / 12), df }
}
