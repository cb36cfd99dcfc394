import { binomialDistribution, max, mean, median, min, quantileSorted, sampleStandardDeviation } from 'simple-statistics'
import type { SampleSummary } from '../../model/metric.ts'

/** Up to this many samples are kept as they are; more are summarised only. */
const MAX_KEPT_SAMPLES = 64

export function summarizeSamples(samples: number[]): SampleSummary {
  const sorted = [...samples].sort((a, b) => a - b)
  return {
    n: sorted.length,
    mean: mean(sorted),
    median: median(sorted),
    p90: quantileSorted(sorted, 0.9),
    p95: quantileSorted(sorted, 0.95),
    p99: quantileSorted(sorted, 0.99),
    min: min(sorted),
    max: max(sorted),
    sd: sorted.length > 1 ? sampleStandardDeviation(sorted) : 0,
    medianInterval: medianInterval(sorted),
    ...(samples.length <= MAX_KEPT_SAMPLES ? { samples: [...samples] } : {}),
  }
}

/**
 * The widest-needed symmetric pair of order statistics (x(k), x(n+1-k)) that covers the median with
 * probability >= 95%: the number of samples below the median is Binomial(n, 1/2) whatever the distribution.
 */
function medianInterval(sorted: number[], confidence = 0.95): [number, number] | null {
  const n = sorted.length
  const pmf = binomialDistribution(n, 0.5) ?? []
  let best: number | null = null
  let tail = 0
  for (let k = 0; k < n / 2; k++) {
    tail += pmf[k] ?? 0 // P(fewer than k+1 samples below the median)
    if (1 - 2 * tail >= confidence) best = k + 1
    else break
  }
  return best === null ? null : [sorted[best - 1] as number, sorted[n - best] as number]
}
