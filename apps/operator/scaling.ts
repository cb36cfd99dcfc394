import type { PipelineBenchmarkSpec, ScalingPolicy } from './pipeline-benchmark.ts'

/** No second scaling step within this long of the last: let the new replicas show their effect. */
export const SCALE_COOLDOWN_MS = 60_000

export interface ObservedLoad {
  /** Events committed per second, and offered by the generators. */
  throughputPerSecond: number
  offeredPerSecond: number
  p99Ms: number
  /** CPU cores used by the processor replicas together. */
  cpu: number
}

export interface ScalingInput {
  spec: PipelineBenchmarkSpec
  current: number
  observed: ObservedLoad
  lastScaleAtMs?: number
  nowMs: number
}

/**
 * SLO-driven replicas, one step at a time, within the spec's bounds. Each policy scales up when its SLO is
 * missed and down only well inside it — a band, plus a cooldown, so a figure hovering at a threshold does
 * not make replicas oscillate:
 *   throughput: up below 95% of the wanted rate; down when each replica uses under 30% of a core
 *   latency:    up when p99 exceeds the target; down below half of it
 *   cost:       up only below 90% of the wanted rate (latency is not worth a replica); down below 50% CPU
 */
export function scalingDecision({ spec, current, observed, lastScaleAtMs, nowMs }: ScalingInput): { replicas: number; reason: string } {
  const min = spec.processing.replicas?.min ?? 1
  const max = spec.processing.replicas?.max ?? min
  const clamp = (n: number) => Math.min(max, Math.max(min, n))
  if (current < min || current > max) return { replicas: clamp(current), reason: `replicas outside ${min}..${max}` }
  if (lastScaleAtMs !== undefined && nowMs - lastScaleAtMs < SCALE_COOLDOWN_MS)
    return { replicas: current, reason: 'cooling down after the last change' }

  const policy: ScalingPolicy = spec.processing.scalingPolicy ?? 'throughput'
  const wanted = Math.min(spec.targets.minThroughputPerSecond ?? observed.offeredPerSecond, observed.offeredPerSecond)
  const throughputShare = wanted > 0 ? observed.throughputPerSecond / wanted : 1
  const cpuPerReplica = observed.cpu / Math.max(1, current)
  const maxP99 = spec.targets.maxP99Ms

  const up = (why: string) =>
    current < max ? { replicas: current + 1, reason: why } : { replicas: current, reason: `${why}, but already at max ${max}` }
  const down = (why: string) => (current > min ? { replicas: current - 1, reason: why } : { replicas: current, reason: 'within targets' })

  if (policy === 'latency') {
    if (maxP99 !== undefined && observed.p99Ms > maxP99) return up(`p99 ${observed.p99Ms} ms above ${maxP99} ms`)
    if (maxP99 !== undefined && observed.p99Ms < maxP99 / 2 && throughputShare >= 1)
      return down(`p99 ${observed.p99Ms} ms below half of ${maxP99} ms`)
    return { replicas: current, reason: 'within targets' }
  }
  const upAt = policy === 'cost' ? 0.9 : 0.95
  if (throughputShare < upAt) return up(`throughput at ${Math.round(throughputShare * 100)}% of ${Math.round(wanted)}/s`)
  const idleBelow = policy === 'cost' ? 0.5 : 0.3
  if (cpuPerReplica < idleBelow) return down(`each replica uses ${cpuPerReplica.toFixed(2)} cores`)
  return { replicas: current, reason: 'within targets' }
}
