import { expect, test } from 'vitest'
import { type Observed, statusFor } from './conditions.ts'
import type { PipelineBenchmark } from './pipeline-benchmark.ts'

const cr = (status?: PipelineBenchmark['status']): PipelineBenchmark => ({
  apiVersion: 'bench.performance-observatory.dev/v1alpha1',
  kind: 'PipelineBenchmark',
  metadata: { name: 'b', namespace: 'n', uid: 'u', generation: 4 },
  spec: {
    sources: [{ kind: 'market', rate: 1000 }],
    processing: { strategy: 'optimized' },
    targets: { minThroughputPerSecond: 900, maxP99Ms: 50 },
    durationSeconds: 10,
  },
  ...(status ? { status } : {}),
})
const observed = (over: Partial<Observed> = {}): Observed => ({
  processorReadyReplicas: 1,
  processorReplicas: 1,
  jobs: { total: 2, succeeded: 0, failed: 0 },
  ...over,
})
const byType = (s: ReturnType<typeof statusFor>) => Object.fromEntries((s.conditions ?? []).map((c) => [c.type, c]))

test('pending until the processor is ready, naming how many replicas are', () => {
  const s = statusFor(cr(), observed({ processorReadyReplicas: 0 }), 't0')
  expect(s.phase).toBe('Pending')
  expect(byType(s).Ready).toMatchObject({ status: 'False', reason: 'WaitingForProcessor', message: '0 of 1 processor replicas ready' })
  expect(s.observedGeneration).toBe(4)
})

test('running while generators work, completed with results, and judged against the targets', () => {
  expect(statusFor(cr(), observed(), 't0').phase).toBe('Running')
  const results = { throughputPerSecond: 950, p99Ms: 70, peakMemoryMiB: 200, cpu: 0.8 }
  const done = statusFor(cr(), observed({ jobs: { total: 2, succeeded: 2, failed: 0 }, results }), 't1')
  expect(done.phase).toBe('Completed')
  expect(byType(done).TargetsMet).toMatchObject({ status: 'False', reason: 'TargetsMissed', message: 'p99 70 ms above 50 ms' })
  expect(done.summary).toEqual(results)
})

test('a failed generator fails the run with a reason', () => {
  const s = statusFor(cr(), observed({ jobs: { total: 2, succeeded: 1, failed: 1 } }), 't0')
  expect(s.phase).toBe('Failed')
  expect(byType(s).Failed).toMatchObject({ status: 'True', reason: 'GeneratorFailed' })
})

test('an unchanged condition keeps its transition time, so the same status is written once', () => {
  const first = statusFor(cr(), observed(), 't0')
  const second = statusFor(cr(first), observed(), 't1')
  expect(second).toEqual(first)
  const third = statusFor(cr(second), observed({ processorReadyReplicas: 0 }), 't2')
  expect(byType(third).Ready?.lastTransitionTime).toBe('t2')
  expect(byType(third).Failed?.lastTransitionTime).toBe('t0')
})

test('a failed write of the owned objects shows as Ready=False with the API server message', () => {
  const message = 'patch Service/b-processor: HTTP 500: failed to allocate a serviceIP: range is full'
  const s = statusFor(cr(), observed({ processorReadyReplicas: 0, processorReplicas: 0, applyError: message }), 't0')
  expect(byType(s).Ready).toMatchObject({ status: 'False', reason: 'ApplyFailed', message })
  expect(s.phase).toBe('Pending')
})

test('a finished run whose processor was scaled to 0 stays Completed, and Ready says why it is not', () => {
  const results = { throughputPerSecond: 950, p99Ms: 40, peakMemoryMiB: 200, cpu: 0.8 }
  const s = statusFor(
    cr(),
    observed({ processorReplicas: 0, processorReadyReplicas: 0, jobs: { total: 2, succeeded: 2, failed: 0 }, results }),
    't2',
  )
  expect(s.phase).toBe('Completed')
  expect(byType(s).Ready).toMatchObject({ status: 'False', reason: 'RunFinished' })
})
