import { histogramQuantile, parsePrometheusText } from '../shared/prometheus-text.ts'
import type { Observed } from './conditions.ts'

const MIB = 1024 * 1024

/** The processor's figures at one scrape of its /metrics: counters since it started. */
export interface ProcessorCounters {
  committed: number
  cpuSeconds: number
  /** p99 of batch commit time (bucket upper bound), ms; 0 before the first commit. */
  commitP99Ms: number
  peakMemoryBytes: number
}

export function processorCounters(metricsText: string): ProcessorCounters {
  const samples = parsePrometheusText(metricsText)
  const committed = samples.get('processor_events_committed_total')
  if (committed === undefined) throw new Error('the processor /metrics has no processor_events_committed_total: is it the processor?')
  const p99Seconds = histogramQuantile(samples, 'processor_batch_commit_seconds', 0.99)
  return {
    committed,
    cpuSeconds: samples.get('process_cpu_seconds_total') ?? 0,
    commitP99Ms: p99Seconds === null ? 0 : p99Seconds * 1000,
    peakMemoryBytes: samples.get('processor_max_resident_memory_bytes') ?? samples.get('process_resident_memory_bytes') ?? 0,
  }
}

/**
 * A run's summary once its generators finished: events committed per second of the run, commit p99,
 * peak resident memory, and CPU cores used on average. Pure, so it is unit-tested.
 */
export function runResultsFromMetrics(metricsText: string, durationSeconds: number): NonNullable<Observed['results']> {
  const c = processorCounters(metricsText)
  return {
    throughputPerSecond: Math.round(c.committed / durationSeconds),
    p99Ms: c.commitP99Ms,
    peakMemoryMiB: Math.round(c.peakMemoryBytes / MIB),
    cpu: Number((c.cpuSeconds / durationSeconds).toFixed(2)),
  }
}
