import { histogramQuantile, parsePrometheusText } from '../shared/prometheus-text.ts'

/** What /api/v1/live pushes: the processor right now. */
export interface LiveSnapshot {
  at: string
  /** Events committed per second since the previous snapshot. */
  committedPerSecond: number
  /** Events accepted but not yet committed. */
  queueDepth: number
  /** p99 of batch commit time over the processor's life, from its histogram buckets (upper bound), ms. */
  commitP99Ms: number | null
  residentMemoryBytes: number
}

/**
 * Reads the processor's /metrics and turns counters into rates between two reads. One feed serves every
 * WebSocket client, so ten dashboards do not mean ten times the scraping.
 */
export class LiveFeed {
  #last: { at: number; committed: number } | undefined
  #processorUrl: string

  constructor(processorUrl: string) {
    this.#processorUrl = processorUrl
  }

  async snapshot(): Promise<LiveSnapshot> {
    const response = await fetch(`${this.#processorUrl}/metrics`, { signal: AbortSignal.timeout(2000) })
    if (!response.ok) throw new Error(`processor /metrics answered ${response.status}`)
    const samples = parsePrometheusText(await response.text())
    const now = performance.now()
    const committed = samples.get('processor_events_committed_total') ?? 0
    const previous = this.#last
    this.#last = { at: now, committed }
    const seconds = previous ? (now - previous.at) / 1000 : 0
    const p99 = histogramQuantile(samples, 'processor_batch_commit_seconds', 0.99)
    return {
      at: new Date().toISOString(),
      committedPerSecond: previous && seconds > 0 ? (committed - previous.committed) / seconds : 0,
      queueDepth: samples.get('processor_queue_events') ?? 0,
      commitP99Ms: p99 === null ? null : p99 * 1000,
      residentMemoryBytes: samples.get('process_resident_memory_bytes') ?? 0,
    }
  }
}
