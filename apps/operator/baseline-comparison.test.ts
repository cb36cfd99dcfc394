import { expect, test } from 'vitest'
import { compareWithBaseline } from './baseline-comparison.ts'
import { type Observed, statusFor } from './conditions.ts'
import { testBenchmark } from './test-benchmark.ts'

const baseline = { summary: { throughputPerSecond: 2000, p99Ms: 40, peakMemoryMiB: 100, cpu: 0 }, finishedAt: '2026-12-02T07:00:00.000Z' }

test('each figure as a relative change against the stored report, named in the message', () => {
  const c = compareWithBaseline('before', { throughputPerSecond: 1800, p99Ms: 50, peakMemoryMiB: 100, cpu: 0.3 }, baseline)
  expect(c.changes).toEqual({ throughputPerSecond: -0.1, p99Ms: 0.25, peakMemoryMiB: 0, cpu: null })
  expect(c.message).toBe('against before: throughput -10.0%, p99 +25.0%, peak memory +0.0%, CPU n/a')
  expect(c.baselineFinishedAt).toBe(baseline.finishedAt)
})

const cr = testBenchmark({ baselineRef: 'before' }, { name: 'after' })
const done: Observed = { processorReadyReplicas: 1, processorReplicas: 1, jobs: { total: 1, succeeded: 1, failed: 0 } }
const condition = (observed: Observed) => statusFor(cr, observed, 't').conditions?.find((c) => c.type === 'BaselineCompared')

test('with a baselineRef the status has a BaselineCompared condition: pending, compared, or why not', () => {
  expect(condition({ ...done, jobs: { total: 1, succeeded: 0, failed: 0 } })).toMatchObject({ status: 'Unknown', reason: 'NoResultsYet' })
  const results = { throughputPerSecond: 2000, p99Ms: 40, peakMemoryMiB: 100, cpu: 0.2 }
  const comparison = compareWithBaseline('before', results, baseline)
  expect(condition({ ...done, results, comparison })).toMatchObject({ status: 'True', reason: 'Compared', message: comparison.message })
  expect(statusFor(cr, { ...done, results, comparison }, 't').comparison).toEqual(comparison)
  const missing = { baselineRef: 'before', unavailable: 'no completed report named before in n: run that benchmark first' }
  expect(condition({ ...done, results, comparison: missing })).toMatchObject({ status: 'False', reason: 'BaselineUnavailable' })
  // without one, no such condition at all
  const { baselineRef: _, ...spec } = cr.spec
  expect(statusFor({ ...cr, spec }, done, 't').conditions?.map((c) => c.type)).not.toContain('BaselineCompared')
})
