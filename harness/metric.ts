import type { SampleSummary } from '../reporters/stats/summary.ts'

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
  /**
   * For a CPU-bound figure measured in the suite's own process (a micro-benchmark): the figure divided by
   * the calibration workload measured right beside it, which cancels how fast the machine ran just then.
   * When both sides of a comparison have it, this is what is judged.
   */
  perCalibration?: number
  /**
   * For a stepped figure (a search that resolves a rate to 5%, say): one step, relative. A change smaller
   * than a step is not a change, and paired mode counts the step as noise.
   */
  resolution?: number
  /**
   * Whether the figure means the same on a machine of another speed: a count or an exactness check. Such
   * figures are judged against a baseline from another testbed; the others are `incomparable` there (even
   * figures per calibration workload and ratios: measured to move 11-56% between testbeds here).
   */
  transfers?: boolean
  /** The samples behind the figure, summarised (rounds of a micro-benchmark, a latency histogram). */
  summary?: SampleSummary
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

/** A series for the HTML report: a latency distribution (percentile → ms) or throughput over time (s → events/s). */
export interface Chart {
  kind: 'latency-cdf' | 'throughput'
  label: string
  points: [number, number][]
}

const CHART_KEY = 'observatoryCharts'

export function attachChart(meta: object, chart: Chart): void {
  const bag = meta as Record<string, unknown>
  bag[CHART_KEY] = [...((bag[CHART_KEY] as Chart[] | undefined) ?? []), chart]
}

export function readCharts(meta: object): Chart[] {
  const list = (meta as Record<string, unknown>)[CHART_KEY]
  return Array.isArray(list) ? (list as Chart[]) : []
}

/** Versions of what a suite ran against, which only the suite's own process can see. */
export interface RunFacts {
  postgres?: string
  kubernetes?: string
}

const FACTS_KEY = 'observatoryFacts'

export function attachFacts(meta: object, facts: RunFacts): void {
  ;(meta as Record<string, unknown>)[FACTS_KEY] = { ...facts }
}

export function readFacts(meta: object): RunFacts {
  const facts = (meta as Record<string, unknown>)[FACTS_KEY]
  return typeof facts === 'object' && facts !== null ? (facts as RunFacts) : {}
}
