import type {
  BaselineComparison,
  Condition,
  ConditionType,
  Phase,
  PipelineBenchmark,
  PipelineBenchmarkStatus,
  RunSummary,
} from './pipeline-benchmark.ts'

/** What the operator saw this time round, from its informer caches and the run's results. */
export interface Observed {
  processorReadyReplicas: number
  processorReplicas: number
  jobs: { total: number; succeeded: number; failed: number }
  /** The run's figures once the generators finished and results were collected. */
  results?: RunSummary
  /** With a baselineRef, once results are collected: the comparison with its stored report. */
  comparison?: BaselineComparison
  /** Why the owned objects could not be written this time (the reconcile is retried with backoff). */
  applyError?: string
  /** Why results could not be collected (e.g. simulated kwok pods serve no metrics); the run still completes. */
  resultsUnavailable?: string
}

/**
 * The status a benchmark should have for what was observed: phase, the five conditions with reasons and
 * messages, and observedGeneration. A condition keeps its lastTransitionTime while its status holds, so
 * writing the same status twice changes nothing (and costs no API write: the caller compares).
 */
export function statusFor(cr: PipelineBenchmark, observed: Observed, now: string): PipelineBenchmarkStatus {
  const previous = new Map((cr.status?.conditions ?? []).map((c) => [c.type, c]))
  const condition = (type: ConditionType, status: Condition['status'], reason: string, message: string): Condition => {
    const before = previous.get(type)
    return { type, status, reason, message, lastTransitionTime: before?.status === status ? before.lastTransitionTime : now }
  }
  const { jobs } = observed
  const ready = observed.processorReplicas > 0 && observed.processorReadyReplicas >= observed.processorReplicas
  const failed = jobs.failed > 0
  const done = jobs.total > 0 && jobs.succeeded === jobs.total
  const running = ready && !done && !failed
  const misses = observed.results ? targetMisses(cr, observed.results) : undefined
  const collected = observed.results !== undefined || observed.resultsUnavailable !== undefined

  const phase: Phase = failed ? 'Failed' : done && collected ? 'Completed' : running ? 'Running' : 'Pending'
  const scaledDown = (phase === 'Completed' || phase === 'Failed') && observed.processorReplicas === 0
  const conditions = [
    observed.applyError !== undefined
      ? condition('Ready', 'False', 'ApplyFailed', observed.applyError)
      : scaledDown
        ? condition('Ready', 'False', 'RunFinished', 'the run finished: its processor is scaled to 0 replicas')
        : ready
          ? condition('Ready', 'True', 'ProcessorReady', `${observed.processorReadyReplicas} processor replica(s) ready`)
          : condition(
              'Ready',
              'False',
              'WaitingForProcessor',
              `${observed.processorReadyReplicas} of ${observed.processorReplicas} processor replicas ready`,
            ),
    condition(
      'Running',
      running ? 'True' : 'False',
      running ? 'LoadRunning' : 'NotRunning',
      `${jobs.succeeded} of ${jobs.total} generators finished`,
    ),
    condition(
      'Completed',
      done && collected ? 'True' : 'False',
      done ? 'GeneratorsFinished' : 'InProgress',
      done ? 'all generators finished' : 'load still running',
    ),
    failed
      ? condition('Failed', 'True', 'GeneratorFailed', `${jobs.failed} generator job(s) failed; see their pods' logs`)
      : condition('Failed', 'False', 'NoFailure', 'no generator failed'),
    observed.resultsUnavailable !== undefined
      ? condition('TargetsMet', 'Unknown', 'ResultsUnavailable', observed.resultsUnavailable)
      : misses === undefined
        ? condition('TargetsMet', 'Unknown', 'NoResultsYet', 'targets are judged when the run completes')
        : misses.length === 0
          ? condition('TargetsMet', 'True', 'AllTargetsMet', 'every target met')
          : condition('TargetsMet', 'False', 'TargetsMissed', misses.join('; ')),
    ...(cr.spec.baselineRef === undefined ? [] : [baselineCondition(cr.spec.baselineRef, observed.comparison)]),
  ]
  return {
    ...cr.status,
    phase,
    observedGeneration: cr.metadata.generation,
    conditions,
    ...(observed.results ? { summary: observed.results } : {}),
    ...(observed.comparison ? { comparison: observed.comparison } : {}),
  }

  function baselineCondition(baselineRef: string, comparison: BaselineComparison | undefined): Condition {
    if (comparison === undefined)
      return condition('BaselineCompared', 'Unknown', 'NoResultsYet', `compared with ${baselineRef} when the run completes`)
    if (comparison.unavailable !== undefined) return condition('BaselineCompared', 'False', 'BaselineUnavailable', comparison.unavailable)
    return condition('BaselineCompared', 'True', 'Compared', comparison.message)
  }
}

function targetMisses(cr: PipelineBenchmark, r: NonNullable<Observed['results']>): string[] {
  const t = cr.spec.targets
  const misses: string[] = []
  if (t.minThroughputPerSecond !== undefined && r.throughputPerSecond < t.minThroughputPerSecond) {
    misses.push(`throughput ${Math.round(r.throughputPerSecond)}/s below ${t.minThroughputPerSecond}/s`)
  }
  if (t.maxP99Ms !== undefined && r.p99Ms > t.maxP99Ms) misses.push(`p99 ${r.p99Ms} ms above ${t.maxP99Ms} ms`)
  if (t.maxMemoryMiB !== undefined && r.peakMemoryMiB > t.maxMemoryMiB)
    misses.push(`memory ${r.peakMemoryMiB} MiB above ${t.maxMemoryMiB} MiB`)
  if (t.maxCpu !== undefined && r.cpu > t.maxCpu) misses.push(`CPU ${r.cpu} cores above ${t.maxCpu}`)
  return misses
}
