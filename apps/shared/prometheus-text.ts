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

/** The value at quantile q of a Prometheus histogram's cumulative buckets (upper bound of the bucket). */
export function histogramQuantile(samples: Map<string, number>, name: string, q: number): number | null {
  const buckets = [...samples]
    .flatMap(([key, count]) => {
      const match = new RegExp(`^${name}_bucket\\{le="([^"]+)"\\}$`).exec(key)
      return match ? [{ le: Number(match[1]), count }] : []
    })
    .sort((a, b) => a.le - b.le)
  const total = buckets.at(-1)?.count ?? 0
  if (total === 0) return null
  return buckets.find((b) => b.count >= q * total)?.le ?? null
}
