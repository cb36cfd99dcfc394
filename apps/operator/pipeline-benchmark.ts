/** The `PipelineBenchmark` custom resource (manifests/crd.yaml), as the operator reads and writes it. */

export const GROUP = 'bench.performance-observatory.dev'
export const VERSION = 'v1alpha1'
export const PLURAL = 'pipelinebenchmarks'
export const FINALIZER = `${GROUP}/cleanup`

export type SourceKind = 'market' | 'iot' | 'log'
export type ScalingPolicy = 'throughput' | 'latency' | 'cost'

export interface PipelineBenchmarkSpec {
  sources: { kind: SourceKind; rate: number; pattern?: string; sizeBytes?: { distribution: string; min: number; max: number } }[]
  processing: {
    strategy: 'naive' | 'optimized'
    batchSize?: number
    replicas?: { min?: number; max?: number }
    scalingPolicy?: ScalingPolicy
  }
  targets: { minThroughputPerSecond?: number; maxP99Ms?: number; maxMemoryMiB?: number; maxCpu?: number }
  durationSeconds: number
  concurrentStreams?: number
  /** The name of an earlier PipelineBenchmark in this namespace whose stored report this run is compared with. */
  baselineRef?: string
}

/** A finished run's figures, over every processor replica; p99 is event latency (event time to acknowledgement). */
export interface RunSummary {
  throughputPerSecond: number
  p99Ms: number
  peakMemoryMiB: number
  cpu: number
}

/** This run against its baselineRef's stored report: relative changes, or why there is nothing to compare with. */
export type BaselineComparison =
  | {
      baselineRef: string
      baselineFinishedAt: string
      changes: Record<keyof RunSummary, number | null>
      message: string
      unavailable?: undefined
    }
  | { baselineRef: string; unavailable: string; changes?: undefined; message?: undefined }

export type ConditionType = 'Ready' | 'Running' | 'Completed' | 'Failed' | 'TargetsMet' | 'BaselineCompared'

export interface Condition {
  type: ConditionType
  status: 'True' | 'False' | 'Unknown'
  reason: string
  message: string
  lastTransitionTime: string
}

export type Phase = 'Pending' | 'Running' | 'Completed' | 'Failed'

export interface PipelineBenchmarkStatus {
  phase?: Phase
  observedGeneration?: number
  startedAt?: string
  replicas?: number
  lastScaleAt?: string
  lastScaleReason?: string
  conditions?: Condition[]
  summary?: RunSummary
  comparison?: BaselineComparison
}

export interface PipelineBenchmark {
  apiVersion: `${typeof GROUP}/${typeof VERSION}`
  kind: 'PipelineBenchmark'
  metadata: { name: string; namespace: string; uid: string; generation: number; deletionTimestamp?: string; finalizers?: string[] }
  spec: PipelineBenchmarkSpec
  status?: PipelineBenchmarkStatus
}
