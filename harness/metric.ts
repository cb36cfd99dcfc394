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

/** A list a test keeps on its meta under `key`: one append and one read, whatever the items. */
function metaList<T>(key: string) {
  return {
    append(meta: object, item: T): void {
      const bag = meta as Record<string, unknown>
      bag[key] = [...((bag[key] as T[] | undefined) ?? []), item]
    },
    read(meta: object): T[] {
      const list = (meta as Record<string, unknown>)[key]
      return Array.isArray(list) ? (list as T[]) : []
    },
  }
}

const charts = metaList<Chart>('observatoryCharts')
export const attachChart = charts.append
export const readCharts = charts.read

const FACTS_KEY = 'observatoryFacts'

export function attachFacts(meta: object, facts: RunFacts): void {
  ;(meta as Record<string, unknown>)[FACTS_KEY] = { ...facts }
}

export function readFacts(meta: object): RunFacts {
  const facts = (meta as Record<string, unknown>)[FACTS_KEY]
  return typeof facts === 'object' && facts !== null ? (facts as RunFacts) : {}
}

const cpuProfiles = metaList<CpuProfileRecord>('observatoryCpuProfiles')
export const attachCpuProfile = cpuProfiles.append
export const readCpuProfiles = cpuProfiles.read
