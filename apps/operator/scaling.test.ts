import { describe, expect, test } from 'vitest'
import type { PipelineBenchmarkSpec } from './pipeline-benchmark.ts'
import { SCALE_COOLDOWN_MS, scalingDecision } from './scaling.ts'

const spec = (policy: 'throughput' | 'latency' | 'cost', targets: PipelineBenchmarkSpec['targets'] = {}): PipelineBenchmarkSpec => ({
  sources: [{ kind: 'market', rate: 10_000 }],
  processing: { strategy: 'optimized', replicas: { min: 1, max: 4 }, scalingPolicy: policy },
  targets,
  durationSeconds: 60,
})
const load = (over: Partial<{ throughputPerSecond: number; offeredPerSecond: number; p99Ms: number; cpu: number }> = {}) => ({
  throughputPerSecond: 10_000,
  offeredPerSecond: 10_000,
  p99Ms: 20,
  cpu: 0.8,
  ...over,
})
const decide = (policy: 'throughput' | 'latency' | 'cost', current: number, observed = load(), targets = {}, lastScaleAtMs?: number) =>
  scalingDecision({
    spec: spec(policy, targets),
    current,
    observed,
    nowMs: 1_000_000,
    ...(lastScaleAtMs === undefined ? {} : { lastScaleAtMs }),
  })

describe('throughput policy', () => {
  test('adds a replica when throughput falls short, one at a time', () => {
    expect(decide('throughput', 2, load({ throughputPerSecond: 8_000 })).replicas).toBe(3)
  })
  test('stays at max and says so', () => {
    expect(decide('throughput', 4, load({ throughputPerSecond: 8_000 }))).toMatchObject({
      replicas: 4,
      reason: expect.stringContaining('already at max 4'),
    })
  })
  test('removes a replica only when replicas idle', () => {
    expect(decide('throughput', 3, load({ cpu: 0.6 })).replicas).toBe(2)
    expect(decide('throughput', 3, load({ cpu: 1.2 })).replicas).toBe(3)
  })
})

describe('latency policy', () => {
  test('scales up above the p99 target and down only below half of it', () => {
    expect(decide('latency', 2, load({ p99Ms: 60 }), { maxP99Ms: 50 }).replicas).toBe(3)
    expect(decide('latency', 2, load({ p99Ms: 40 }), { maxP99Ms: 50 }).replicas).toBe(2)
    expect(decide('latency', 2, load({ p99Ms: 20 }), { maxP99Ms: 50 }).replicas).toBe(1)
  })
})

test('cost policy tolerates a small shortfall and a slow tail that throughput and latency would not', () => {
  expect(decide('cost', 2, load({ throughputPerSecond: 9_200, p99Ms: 500, cpu: 1.6 }), { maxP99Ms: 50 }).replicas).toBe(2)
  expect(decide('throughput', 2, load({ throughputPerSecond: 9_200, cpu: 1.6 })).replicas).toBe(3)
})

test('no oscillation: a figure hovering inside the band changes nothing, and a change waits out the cooldown', () => {
  const hovering = [0.96, 0.99, 0.97, 1.0, 0.98].map(
    (share) => decide('throughput', 2, load({ throughputPerSecond: 10_000 * share })).replicas,
  )
  expect(hovering).toEqual([2, 2, 2, 2, 2])
  expect(decide('throughput', 2, load({ throughputPerSecond: 5_000 }), {}, 1_000_000 - SCALE_COOLDOWN_MS / 2).reason).toBe(
    'cooling down after the last change',
  )
})

test('replicas outside the bounds are brought back first', () => {
  expect(decide('throughput', 9).replicas).toBe(4)
})
