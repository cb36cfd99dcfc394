import { histogramBuckets, parsePrometheusText, quantileOfBuckets } from '../shared/prometheus-text.ts'
import type { RunSummary } from './pipeline-benchmark.ts'

const MIB = 1024 * 1024

/** One processor replica's figures at one scrape of its /metrics: counters since it started. */
export interface ProcessorCounters {
  committed: number
  cpuSeconds: number
  /** Cumulative counts of processor_event_latency_seconds by upper bound (seconds): event time to acknowledgement. */
  latencyBuckets: Map<number, number>
  peakMemoryBytes: number
}

export function processorCounters(metricsText: string): ProcessorCounters {
  const samples = parsePrometheusText(metricsText)
  const committed = samples.get('processor_events_committed_total')
  if (committed === undefined) throw new Error('the processor /metrics has no processor_events_committed_total: is it the processor?')
  return {
    committed,
    cpuSeconds: samples.get('process_cpu_seconds_total') ?? 0,
    latencyBuckets: histogramBuckets(samples, 'processor_event_latency_seconds'),
    peakMemoryBytes: samples.get('processor_max_resident_memory_bytes') ?? samples.get('process_resident_memory_bytes') ?? 0,
  }
}

/**
 * Every processor replica a benchmark has had, by pod name. A replica scaled away or deleted keeps what it
 * last reported, and a restarted container (its counters back near 0) adds to what it had, so the run's
 * totals lose only what a replica did after its last scrape.
 */
export class ReplicaLedger {
  readonly #replicas = new Map<string, { carried: ProcessorCounters; last: ProcessorCounters }>()

  record(pod: string, counters: ProcessorCounters): void {
    const seen = this.#replicas.get(pod)
    if (!seen) {
      this.#replicas.set(pod, { carried: emptyCounters(), last: counters })
      return
    }
    if (counters.committed < seen.last.committed || counters.cpuSeconds < seen.last.cpuSeconds)
      seen.carried = sumCounters([seen.carried, seen.last])
    seen.last = counters
  }

  get replicas(): number {
    return this.#replicas.size
  }

  total(): ProcessorCounters {
    return sumCounters([...this.#replicas.values()].flatMap((r) => [r.carried, r.last]))
  }
}

function emptyCounters(): ProcessorCounters {
  return { committed: 0, cpuSeconds: 0, latencyBuckets: new Map(), peakMemoryBytes: 0 }
}

function sumCounters(all: ProcessorCounters[]): ProcessorCounters {
  const total = emptyCounters()
  for (const c of all) {
    total.committed += c.committed
    total.cpuSeconds += c.cpuSeconds
    total.peakMemoryBytes = Math.max(total.peakMemoryBytes, c.peakMemoryBytes)
    for (const [le, count] of c.latencyBuckets) total.latencyBuckets.set(le, (total.latencyBuckets.get(le) ?? 0) + count)
  }
  return total
}

/** What happened between two totals of one run: events, CPU and the latency of the events in between. */
export function countersSince(now: ProcessorCounters, before: ProcessorCounters): ProcessorCounters {
  const latencyBuckets = new Map([...now.latencyBuckets].map(([le, count]) => [le, count - (before.latencyBuckets.get(le) ?? 0)]))
  return {
    committed: now.committed - before.committed,
    cpuSeconds: now.cpuSeconds - before.cpuSeconds,
    latencyBuckets,
    peakMemoryBytes: now.peakMemoryBytes,
  }
}

/** p99 of event latency in ms (interpolated within its bucket, as Prometheus does); 0 before the first event. */
export function eventP99Ms(counters: ProcessorCounters): number {
  const seconds = quantileOfBuckets(counters.latencyBuckets, 0.99)
  return seconds === null ? 0 : Math.round(seconds * 1000 * 10) / 10
}

/**
 * A run's summary once its generators finished, over every replica: events committed per second of the run,
 * event-latency p99, the largest replica's peak resident memory, and CPU cores used on average. Pure, so it
 * is unit-tested.
 */
export function runResults(total: ProcessorCounters, durationSeconds: number): RunSummary {
  return {
    throughputPerSecond: Math.round(total.committed / durationSeconds),
    p99Ms: eventP99Ms(total),
    peakMemoryMiB: Math.round(total.peakMemoryBytes / MIB),
    cpu: Number((total.cpuSeconds / durationSeconds).toFixed(2)),
  }
}
