import { expect, test } from 'vitest'
import { runResultsFromMetrics } from './run-results.ts'

// A processor's exposition as prom-client writes it (names from apps/processor/metrics.ts).
const exposition = `# HELP process_cpu_seconds_total Total user and system CPU time spent in seconds.
process_cpu_seconds_total 30
processor_events_committed_total 600000
processor_batch_commit_seconds_bucket{le="0.005"} 90
processor_batch_commit_seconds_bucket{le="0.01"} 98
processor_batch_commit_seconds_bucket{le="0.025"} 100
processor_batch_commit_seconds_bucket{le="+Inf"} 100
processor_max_resident_memory_bytes 268435456
`

test('a run summary from the processor metrics: rate over the run, commit p99, peak memory, mean cores', () => {
  expect(runResultsFromMetrics(exposition, 60)).toEqual({ throughputPerSecond: 10_000, p99Ms: 25, peakMemoryMiB: 256, cpu: 0.5 })
})

test('something that is not the processor is named as such', () => {
  expect(() => runResultsFromMetrics('up 1\n', 60)).toThrow(/no processor_events_committed_total/)
})
