import type { Chart, CpuProfileRecord, Metric, RunFacts } from '../model/metric.ts'

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

const CHART_KEY = 'observatoryCharts'

export function attachChart(meta: object, chart: Chart): void {
  const bag = meta as Record<string, unknown>
  bag[CHART_KEY] = [...((bag[CHART_KEY] as Chart[] | undefined) ?? []), chart]
}

export function readCharts(meta: object): Chart[] {
  const list = (meta as Record<string, unknown>)[CHART_KEY]
  return Array.isArray(list) ? (list as Chart[]) : []
}

const FACTS_KEY = 'observatoryFacts'

export function attachFacts(meta: object, facts: RunFacts): void {
  ;(meta as Record<string, unknown>)[FACTS_KEY] = { ...facts }
}

export function readFacts(meta: object): RunFacts {
  const facts = (meta as Record<string, unknown>)[FACTS_KEY]
  return typeof facts === 'object' && facts !== null ? (facts as RunFacts) : {}
}

const PROFILE_KEY = 'observatoryCpuProfiles'

export function attachCpuProfile(meta: object, profile: CpuProfileRecord): void {
  const bag = meta as Record<string, unknown>
  bag[PROFILE_KEY] = [...((bag[PROFILE_KEY] as CpuProfileRecord[] | undefined) ?? []), profile]
}

export function readCpuProfiles(meta: object): CpuProfileRecord[] {
  const list = (meta as Record<string, unknown>)[PROFILE_KEY]
  return Array.isArray(list) ? (list as CpuProfileRecord[]) : []
}
