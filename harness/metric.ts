/** Whether a bigger number is better (throughput) or worse (latency, memory). */
export type Direction = 'higher' | 'lower'

/** One measured figure and the rule that judges it against its baseline. */
export interface Metric {
  name: string
  value: number
  unit: string
  direction: Direction
  /** Relative change tolerated before the verdict is 'regressed' or 'improved' (0.1 = 10%). */
  tolerance: number
}

// Suites record metrics on the vitest task's meta, which vitest carries to the reporter process.
const META_KEY = 'observatoryMetrics'

export function attachMetric(meta: object, metric: Metric): void {
  if (!Number.isFinite(metric.value)) {
    throw new Error(`Metric '${metric.name}' is ${metric.value}; a suite must record a finite number.`)
  }
  const bag = meta as Record<string, unknown>
  const list = (bag[META_KEY] as Metric[] | undefined) ?? []
  list.push(metric)
  bag[META_KEY] = list
}

export function readMetrics(meta: object): Metric[] {
  const list = (meta as Record<string, unknown>)[META_KEY]
  return Array.isArray(list) ? (list as Metric[]) : []
}
