import { histogramBuckets, parsePrometheusText, quantileOfBuckets } from '../shared/prometheus-text.ts'

/** What /api/v1/live pushes: the processor right now. */
export interface LiveSnapshot {
  at: string
  /** The processor these figures are from (it changes when a benchmark starts another). */
  processor: string
  /** Events committed per second since the previous snapshot. */
  committedPerSecond: number
  /** Events accepted but not yet committed. */
  queueDepth: number
  /**
   * p99 of the time from an event's own timestamp to its acknowledgement after commit, over the events
   * acknowledged since the previous snapshot (from the histogram's bucket counts, upper-bound interpolated);
   * null when none were.
   */
  endToEndP99Ms: number | null
  /** p99 of batch commit time over the processor's life, from its histogram buckets (upper bound), ms. */
  commitP99Ms: number | null
  residentMemoryBytes: number
}

/** What the feed pushes when there is nothing to read: no processor yet, or it did not answer. */
export type LiveMessage = LiveSnapshot | { at: string; waiting: string } | { at: string; error: string }

/** Where the processor to read is now: a fixed URL, or the one a running benchmark last started. */
export type LiveTarget = () => Promise<string | undefined>

const EVENT_LATENCY = 'processor_event_latency_seconds'

/**
 * Reads the processor's /metrics and turns counters into rates, and histograms into quantiles, between two
 * reads. One feed serves one WebSocket client; it reads only while that client is connected, so a page
 * nobody has open costs the benchmark nothing.
 */
export class LiveFeed {
  #last: { processor: string; at: number; committed: number; latency: Map<number, number> } | undefined
  #target: LiveTarget

  constructor(target: LiveTarget) {
    this.#target = target
  }

  async next(): Promise<LiveMessage> {
    const processor = await this.#target()
    if (!processor) return { at: new Date().toISOString(), waiting: 'no processor is running yet' }
    try {
      return await this.#snapshot(processor)
    } catch (error) {
      return { at: new Date().toISOString(), error: `processor ${processor} unreachable: ${(error as Error).message}` }
    }
  }

  async #snapshot(processor: string): Promise<LiveSnapshot> {
    const response = await fetch(`${processor}/metrics`, { signal: AbortSignal.timeout(2000) })
    if (!response.ok) throw new Error(`/metrics answered ${response.status}`)
    const samples = parsePrometheusText(await response.text())
    const now = performance.now()
    const committed = samples.get('processor_events_committed_total') ?? 0
    const latency = histogramBuckets(samples, EVENT_LATENCY)
    // Another processor (a benchmark's next test) starts its counters from 0: no rate across the switch.
    const previous = this.#last?.processor === processor ? this.#last : undefined
    this.#last = { processor, at: now, committed, latency }
    const seconds = previous ? (now - previous.at) / 1000 : 0
    const commitP99 = quantileOfBuckets(histogramBuckets(samples, 'processor_batch_commit_seconds'), 0.99)
    const windowP99 = previous ? quantileOfBuckets(difference(latency, previous.latency), 0.99) : null
    return {
      at: new Date().toISOString(),
      processor,
      committedPerSecond: previous && seconds > 0 ? (committed - previous.committed) / seconds : 0,
      queueDepth: samples.get('processor_queue_events') ?? 0,
      endToEndP99Ms: windowP99 === null ? null : windowP99 * 1000,
      commitP99Ms: commitP99 === null ? null : commitP99 * 1000,
      residentMemoryBytes: samples.get('process_resident_memory_bytes') ?? 0,
    }
  }
}

/** Cumulative bucket counts since `before`: what was observed between two reads. */
const difference = (now: Map<number, number>, before: Map<number, number>) =>
  new Map([...now].map(([le, count]) => [le, count - (before.get(le) ?? 0)]))
