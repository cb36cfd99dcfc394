/**
 * The samples of a Prometheus text exposition, by metric name (labels folded into the key as written).
 * Hand-written: the exposition format's sample lines are `name{labels} value`, and the npm parsers of it
 * are unmaintained; this reads only what we need, from our own processor.
 */
export function parsePrometheusText(text: string): Map<string, number> {
  const samples = new Map<string, number>()
  for (const line of text.split('\n')) {
    if (line === '' || line.startsWith('#')) continue
    const space = line.lastIndexOf(' ')
    const value = Number(line.slice(space + 1))
    if (space > 0 && !Number.isNaN(value)) samples.set(line.slice(0, space), value)
  }
  return samples
}

/** A histogram's cumulative bucket counts by upper bound (`+Inf` as Infinity); empty if it is not there. */
export function histogramBuckets(samples: Map<string, number>, name: string): Map<number, number> {
  const buckets = new Map<number, number>()
  const pattern = new RegExp(`^${name}_bucket\\{le="([^"]+)"\\}$`)
  for (const [key, count] of samples) {
    const match = pattern.exec(key)
    if (match) buckets.set(match[1] === '+Inf' ? Number.POSITIVE_INFINITY : Number(match[1]), count)
  }
  return buckets
}

/**
 * The value at quantile q of cumulative buckets, interpolated linearly within the bucket that holds it, as
 * Prometheus's histogram_quantile does; in the +Inf bucket, the highest finite bound. Null with no counts.
 */
export function quantileOfBuckets(buckets: Map<number, number>, q: number): number | null {
  const sorted = [...buckets].sort(([a], [b]) => a - b)
  const total = sorted.at(-1)?.[1] ?? 0
  if (total <= 0) return null
  const rank = q * total
  let [lower, below] = [0, 0]
  for (const [le, count] of sorted) {
    if (count >= rank) {
      if (le === Number.POSITIVE_INFINITY) return lower
      return count === below ? le : lower + ((le - lower) * (rank - below)) / (count - below)
    }
    ;[lower, below] = [le, count]
  }
  return lower
}

/** quantileOfBuckets over one histogram of an exposition. */
export function histogramQuantile(samples: Map<string, number>, name: string, q: number): number | null {
  return quantileOfBuckets(histogramBuckets(samples, name), q)
}
