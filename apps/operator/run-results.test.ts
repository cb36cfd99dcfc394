import { expect, test } from 'vitest'
import { createProcessorMetrics } from '../processor/metrics.ts'
import { countersSince, eventP99Ms, processorCounters, ReplicaLedger, runResults } from './run-results.ts'

// One replica's exposition as prom-client writes it (names from apps/processor/metrics.ts): 99 of its
// `events` events acknowledged within 5 ms, the last 1% between 5 and 25 ms.
function exposition(committed: number, cpuSeconds: number, peakMiB: number): string {
  return `# HELP process_cpu_seconds_total Total user and system CPU time spent in seconds.
process_cpu_seconds_total ${cpuSeconds}
processor_events_committed_total ${committed}
processor_event_latency_seconds_bucket{le="0.005"} ${committed * 0.99}
processor_event_latency_seconds_bucket{le="0.025"} ${committed}
processor_event_latency_seconds_bucket{le="1"} ${committed}
processor_event_latency_seconds_bucket{le="+Inf"} ${committed}
processor_max_resident_memory_bytes ${peakMiB * 1024 * 1024}
`
}

test('a run summary over every replica: the sum of their events and CPU, their merged event latency, the largest peak', () => {
  const ledger = new ReplicaLedger()
  ledger.record('p-a', processorCounters(exposition(300_000, 20, 200)))
  ledger.record('p-b', processorCounters(exposition(300_000, 10, 256)))
  // Read as one replica (what the Service proxy gave) this run would have been half its real rate.
  expect(runResults(ledger.total(), 60)).toEqual({ throughputPerSecond: 10_000, p99Ms: 5, peakMemoryMiB: 256, cpu: 0.5 })
  expect(ledger.replicas).toBe(2)
})

test('a replica scaled away keeps what it last reported, and a restarted one adds to what it had', () => {
  const ledger = new ReplicaLedger()
  ledger.record('p-a', processorCounters(exposition(1000, 1, 100)))
  ledger.record('p-b', processorCounters(exposition(500, 1, 100)))
  ledger.record('p-a', processorCounters(exposition(200, 0.2, 100))) // its container restarted
  // p-b is gone now: it is not scraped again
  expect(ledger.total().committed).toBe(1700)
  expect(ledger.total().cpuSeconds).toBeCloseTo(2.2, 10)
})

test('between two totals: the events and the latency of those events only', () => {
  const before = processorCounters(exposition(1000, 1, 100))
  const slow = `processor_events_committed_total 2000
processor_event_latency_seconds_bucket{le="0.005"} 990
processor_event_latency_seconds_bucket{le="0.025"} 1000
processor_event_latency_seconds_bucket{le="1"} 2000
processor_event_latency_seconds_bucket{le="+Inf"} 2000
`
  const since = countersSince(processorCounters(slow), before)
  expect(since.committed).toBe(1000)
  // the lifetime p99 would still look fast; the last 1000 events all took 25 ms to 1 s
  expect(eventP99Ms(since)).toBeGreaterThan(900)
  expect(eventP99Ms(processorCounters(slow))).toBeLessThan(eventP99Ms(since))
})

test("the processor's own registry carries what the summary reads", async () => {
  const metrics = createProcessorMetrics(() => 0)
  metrics.committed.inc(100)
  for (let i = 0; i < 100; i++) metrics.eventLatency.observe(0.003)
  const counters = processorCounters(await metrics.registry.metrics())
  expect(counters.committed).toBe(100)
  expect(eventP99Ms(counters)).toBeGreaterThan(0)
  expect(eventP99Ms(counters)).toBeLessThanOrEqual(5)
})

test('something that is not the processor is named as such', () => {
  expect(() => processorCounters('up 1\n')).toThrow(/no processor_events_committed_total/)
})
