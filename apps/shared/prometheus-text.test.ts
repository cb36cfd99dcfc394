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

test('a histogram quantile is the upper bound of the first bucket that reaches it', () => {
  const samples = parsePrometheusText(text)
  expect(histogramQuantile(samples, 'processor_batch_commit_seconds', 0.5)).toBe(0.01)
  expect(histogramQuantile(samples, 'processor_batch_commit_seconds', 0.99)).toBe(0.1)
  expect(histogramQuantile(samples, 'missing', 0.99)).toBeNull()
})
