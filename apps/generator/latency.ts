import * as hdr from 'hdr-histogram-js'

export interface LatencySummary {
  count: number
  minUs: number
  p50Us: number
  p90Us: number
  p99Us: number
  p999Us: number
  maxUs: number
  meanUs: number
  sdUs: number
  /** [percentile, µs] points of the whole distribution, for a CDF chart. */
  distribution: [number, number][]
  /** The whole histogram, HDR's compressed base64 encoding: every sample, in bounded form, to re-analyse. */
  hdrBase64: string
}

const CDF_PERCENTILES = [0, 10, 25, 50, 75, 90, 95, 98, 99, 99.5, 99.9, 99.95, 99.99, 100]

/** Microsecond histograms, 3 significant digits, growing as needed: bounded memory at any rate. */
export function createLatencyHistogram(): hdr.Histogram {
  return hdr.build({ lowestDiscernibleValue: 1, highestTrackableValue: 60_000_000, numberOfSignificantValueDigits: 3, autoResize: true })
}

export function summarize(h: hdr.Histogram): LatencySummary {
  return {
    count: h.totalCount,
    minUs: h.totalCount ? h.minNonZeroValue : 0,
    p50Us: h.getValueAtPercentile(50),
    p90Us: h.getValueAtPercentile(90),
    p99Us: h.getValueAtPercentile(99),
    p999Us: h.getValueAtPercentile(99.9),
    maxUs: h.maxValue,
    meanUs: h.mean,
    sdUs: h.stdDeviation,
    distribution: CDF_PERCENTILES.map((p) => [p, h.totalCount ? h.getValueAtPercentile(p) : 0]),
    hdrBase64: hdr.encodeIntoCompressedBase64(h),
  }
}
