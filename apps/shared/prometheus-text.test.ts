import { expect, test } from 'vitest'
import { histogramQuantile, parsePrometheusText } from './prometheus-text.ts'

// A hand-written exposition, as prom-client prints it.
const text = `# HELP processor_events_committed_total Events acknowledged after commit
# TYPE processor_events_committed_total counter
processor_events_committed_total 1200
processor_queue_events 35
processor_batch_commit_seconds_bucket{le="0.001"} 0
processor_batch_commit_seconds_bucket{le="0.01"} 90
processor_batch_commit_seconds_bucket{le="0.1"} 99
processor_batch_commit_seconds_bucket{le="+Inf"} 100
`

test('reads samples by name, labels included', () => {
  const samples = parsePrometheusText(text)
  expect(samples.get('processor_events_committed_total')).toBe(1200)
  expect(samples.get('processor_batch_commit_seconds_bucket{le="0.01"}')).toBe(90)
})

test('a histogram quantile is interpolated within the first bucket that reaches it, as Prometheus does', () => {
  const samples = parsePrometheusText(text)
  // rank 50 of 100 falls in (0.001, 0.01] holding 90: 50/90 of the way up
  expect(histogramQuantile(samples, 'processor_batch_commit_seconds', 0.5)).toBeCloseTo(0.001 + (0.009 * 50) / 90, 10)
  expect(histogramQuantile(samples, 'processor_batch_commit_seconds', 0.99)).toBeCloseTo(0.1, 10)
  // in the +Inf bucket: the highest finite bound, never Infinity
  expect(histogramQuantile(samples, 'processor_batch_commit_seconds', 1)).toBe(0.1)
  expect(histogramQuantile(samples, 'missing', 0.99)).toBeNull()
})
