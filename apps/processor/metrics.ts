import { Counter, collectDefaultMetrics, Gauge, Histogram, Registry } from 'prom-client'

export type ProcessorMetrics = ReturnType<typeof createProcessorMetrics>

export function createProcessorMetrics(queuedItems: () => number) {
  const registry = new Registry()
  collectDefaultMetrics({ register: registry })
  return {
    registry,
    received: new Counter({ name: 'processor_events_received_total', help: 'Events in valid ingest requests', registers: [registry] }),
    committed: new Counter({ name: 'processor_events_committed_total', help: 'Events acknowledged after commit', registers: [registry] }),
    late: new Counter({
      name: 'processor_events_late_total',
      help: 'New events stored raw but too late (beyond the allowed lateness) to change their OHLC window',
      registers: [registry],
    }),
    rejected: new Counter({
      name: 'processor_events_rejected_total',
      help: 'Ingest requests refused, by reason',
      labelNames: ['reason'] as const,
      registers: [registry],
    }),
    commitSeconds: new Histogram({
      name: 'processor_batch_commit_seconds',
      help: 'Time to write and commit one batch',
      buckets: [0.001, 0.002, 0.005, 0.01, 0.02, 0.05, 0.1, 0.2, 0.5, 1, 2],
      registers: [registry],
    }),
    // What an operator's latency target means: from an event's own time (ts) to its acknowledgement after
    // commit, per event. Across hosts it includes their clock offset; in one cluster node it does not.
    eventLatency: new Histogram({
      name: 'processor_event_latency_seconds',
      help: 'Time from an event timestamp (ts) to its acknowledgement after commit',
      buckets: [0.0005, 0.001, 0.002, 0.005, 0.01, 0.02, 0.05, 0.1, 0.2, 0.5, 1, 2, 5, 10],
      registers: [registry],
    }),
    queueDepth: new Gauge({
      name: 'processor_queue_events',
      help: 'Events accepted but not yet committed',
      registers: [registry],
      collect() {
        this.set(queuedItems())
      },
    }),
    // The kernel's high-water mark of resident memory: the peak, not a sample that may miss it.
    maxRss: new Gauge({
      name: 'processor_max_resident_memory_bytes',
      help: 'Peak resident set size of this process',
      registers: [registry],
      collect() {
        this.set(process.resourceUsage().maxRSS * 1024)
      },
    }),
  }
}
