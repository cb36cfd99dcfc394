import { expect } from 'vitest'
import type { LatencySummary } from '../apps/generator/latency.ts'
import type { RuntimeFigures } from '../apps/shared/runtime-window.ts'
import type { Chart, Metric, SampleSummary } from '../model/metric.ts'
import { type GeneratorOptions, type GeneratorSummary, readPrometheusGauge, runGenerator } from './apps.ts'
import { cpuProfilesOn, heapSnapshotsOn, startCpuProfile, takeHeapSnapshot } from './cpu-profile.ts'
import type { V8CpuProfile } from './cpu-profile-summary.ts'
import type { StartedApp, StartedPostgres } from './environment.ts'
import { runtimeMetrics, runtimeWindowOf } from './runtime-metrics.ts'
import { queryRows } from './sql.ts'

export interface PipelineRun {
  load: GeneratorSummary
  /** Rows stored for the run's source: with no loss and no duplicates, exactly `load.acked`. */
  committed: number
  /** Sequence numbers missing below the highest stored one (events acknowledged or not). */
  sequenceGaps: number
  peakRssMiB: number
  /** CPU seconds the processor process used during the load. */
  processorCpuSeconds: number
  /** The processor's heap, allocation, GC and event-loop delay over the load (apps/shared/runtime-window.ts). */
  processorRuntime?: RuntimeFigures
  /** CPU profiles of the processor (over the load) and the generator, when asked and possible. */
  cpuProfiles: { app: string; profile: V8CpuProfile; heapSnapshot?: string }[]
}

const MS = 1000

/** Drives one open-loop load through a processor and reads back what the database holds. */
export async function runPipeline(
  processor: StartedApp,
  postgres: StartedPostgres,
  options: {
    ratePerSecond: GeneratorOptions['ratePerSecond']
    durationSeconds: number
    source: string
    batchSize?: number
    extraArgs?: string[]
    /** Profile the processor and the generator (where they run here and profiles are on). */
    cpuProfile?: boolean
  },
): Promise<PipelineRun> {
  const { cpuProfile, ...rest } = options
  const cpuBefore = await readPrometheusGauge(processor.url, 'process_cpu_seconds_total')
  const generator = { batchSize: options.batchSize ?? 100, ...rest }
  const profiling = cpuProfile && processor.inspectPort !== undefined ? await startCpuProfile(processor.inspectPort) : undefined
  const runtime = await runtimeWindowOf(processor.url)
  const { cpuProfile: generatorProfile, ...load }: GeneratorSummary & { cpuProfile?: V8CpuProfile } = processor.runLoad
    ? await processor.runLoad(generator)
    : await runGenerator({ target: processor.url, ...generator, cpuProfile })
  const processorProfile = await profiling?.stop()
  const processorRuntime = await runtime.read()
  const processorCpuSeconds = (await readPrometheusGauge(processor.url, 'process_cpu_seconds_total')) - cpuBefore
  const [row] = await queryRows<{ n: string; max_seq: string | null }>(
    postgres.url,
    // Every kind's raw table: one source numbers all its events in one sequence.
    `SELECT count(*) AS n, max(seq) AS max_seq FROM (
       SELECT seq FROM market_events WHERE source = $1 UNION ALL
       SELECT seq FROM iot_events WHERE source = $1 UNION ALL
       SELECT seq FROM log_events WHERE source = $1) AS stored`,
    [options.source],
  )
  const committed = Number(row?.n)
  const sequenceGaps = row?.max_seq === null ? 0 : Number(row?.max_seq) + 1 - committed
  const peakRssMiB = (await readPrometheusGauge(processor.url, 'processor_max_resident_memory_bytes')) / 2 ** 20
  const cpuProfiles = [
    ...(processorProfile ? [{ app: 'processor', profile: processorProfile }] : []),
    ...(generatorProfile ? [{ app: 'generator', profile: generatorProfile }] : []),
  ]
  return { load, committed, sequenceGaps, peakRssMiB, processorCpuSeconds, cpuProfiles, ...(processorRuntime ? { processorRuntime } : {}) }
}

/** Seconds of the profiled pass: 3,000 samples per app, and one whole period of the bursty load shape. */
const PROFILED_SECONDS = 3

/**
 * A scenario's CPU profiles, from a pass of its own after the judged one (a new source, nothing recorded):
 * sampled during the judged run, the processor's CPU per 100k events rose 11-22% and the end-to-end p99
 * 33-59% (pipeline suite, 3 runs against 5 on this machine). Nothing when profiles are off or the apps
 * do not run here.
 */
export async function profilePipeline(
  processor: StartedApp,
  postgres: StartedPostgres,
  options: Omit<Parameters<typeof runPipeline>[2], 'durationSeconds' | 'cpuProfile'>,
): Promise<PipelineRun['cpuProfiles']> {
  if (!cpuProfilesOn() || processor.inspectPort === undefined || processor.runLoad) return []
  const run = await runPipeline(processor, postgres, {
    ...options,
    durationSeconds: PROFILED_SECONDS,
    source: `${options.source}-profiled`,
    cpuProfile: true,
  })
  expectNoLoss(run)
  if (!heapSnapshotsOn()) return run.cpuProfiles
  const heapSnapshot = await takeHeapSnapshot(processor.inspectPort)
  return run.cpuProfiles.map((p) => (p.app === 'processor' ? { ...p, heapSnapshot } : p))
}

/**
 * What every run holds, whatever its load: no loss and no duplicates. Every acknowledged event is exactly
 * one row; refused events are retried by the generator, and any it finally gave up on are counted as
 * failed, never stored. A run needs a source of its own: rows are keyed by (source, seq), and a second run
 * under the same source finds the first one's rows.
 */
export function expectNoLoss(run: Pick<PipelineRun, 'load' | 'committed'>): void {
  expect(run.committed, 'every acknowledged event is stored, once').toBe(run.load.acked)
  expect(run.load.acked + run.load.failed, 'every generated event is acknowledged or given up on').toBe(run.load.generated)
}

/**
 * The figures a pipeline scenario is judged on. A run that saturates the system under test (the naive
 * strategy at these rates, on 2 cores) has latencies that grow with the run's length and swing from 20 ms
 * to seconds between runs: not a figure to gate on. For those only capacity-type figures are judged, with
 * wider tolerances (memory too: how far the queue backs up varies); `describeRun` still prints the latencies.
 */
export function pipelineMetrics(run: PipelineRun, { saturating }: { saturating: boolean }): Metric[] {
  const { load, committed, peakRssMiB } = run
  const capacity: Metric[] = [
    {
      name: 'sustained throughput',
      value: committed / (load.activeMs / MS),
      unit: 'events/s',
      direction: 'higher',
      tolerance: saturating ? 0.4 : 0.05,
    },
    // Saturated, the queue backs up or not from run to run: the naive processor's peak at 10k events/s was
    // about 177 or about 230 MiB (5 of 16 runs on 2026-12-06 in the upper mode, +30%).
    { name: 'processor peak RSS', value: peakRssMiB, unit: 'MiB', direction: 'lower', tolerance: saturating ? 0.5 : 0.25 },
    {
      name: 'processor CPU per 100k events',
      value: processorCpuPer100k(run),
      unit: 'CPU s',
      direction: 'lower',
      tolerance: saturating ? 0.6 : 0.3,
    },
    { name: 'events given up', value: load.failed, unit: 'events', direction: 'lower', tolerance: 0, transfers: true },
  ]
  if (saturating) return capacity
  const [e2e, ingest] = [load.endToEndLatency, load.ingestLatency]
  const [e2eSummary, ingestSummary] = [latencySummary(e2e), latencySummary(ingest)]
  // Single-run tail percentiles swing up to 3x between runs on 2 shared cores (end-to-end p99 at 50k/s:
  // 59-175 ms seen), more than 5 calibration runs reveal; until paired runs (issue 4) these tolerances
  // are wide, so a tail must roughly double or triple to count.
  return [
    ...capacity,
    { name: 'end-to-end p50', value: e2e.p50Us / MS, unit: 'ms', direction: 'lower', tolerance: 0.5, summary: e2eSummary },
    { name: 'end-to-end p99', value: e2e.p99Us / MS, unit: 'ms', direction: 'lower', tolerance: 1.5, summary: e2eSummary },
    { name: 'end-to-end p99.9', value: e2e.p999Us / MS, unit: 'ms', direction: 'lower', tolerance: 2, summary: e2eSummary },
    { name: 'ingest p50', value: ingest.p50Us / MS, unit: 'ms', direction: 'lower', tolerance: 0.5, summary: ingestSummary },
    { name: 'ingest p99', value: ingest.p99Us / MS, unit: 'ms', direction: 'lower', tolerance: 1.5, summary: ingestSummary },
    { name: 'events refused and retried', value: load.retries, unit: 'requests', direction: 'lower', tolerance: 1 },
    { name: 'generator lag max', value: load.maxGeneratorLagMs, unit: 'ms', direction: 'lower', tolerance: 2 },
    ...runtimeMetrics('processor', run.processorRuntime),
    ...runtimeMetrics('generator', load.runtime),
  ]
}

/** The processor's CPU seconds per 100k events committed over the run. */
export const processorCpuPer100k = ({ processorCpuSeconds, committed }: Pick<PipelineRun, 'processorCpuSeconds' | 'committed'>) =>
  (processorCpuSeconds / Math.max(1, committed)) * 1e5

/** One line for the log with every figure, judged or not. */
export function describeRun(label: string, { load, committed }: PipelineRun): string {
  const ms = (us: number) => `${(us / MS).toFixed(1)} ms`
  const e2e = load.endToEndLatency
  return (
    `${label}: ${Math.round(committed / (load.activeMs / MS))} events/s committed of ${Math.round(load.intendedRate)} offered on average; ` +
    `end-to-end p50 ${ms(e2e.p50Us)}, p99 ${ms(e2e.p99Us)}, p99.9 ${ms(e2e.p999Us)}; retries ${load.retries}; given up ${load.failed}`
  )
}

/** The run's end-to-end latency distribution and committed-rate timeline, for the HTML report. */
export function pipelineCharts(label: string, { load }: PipelineRun): Chart[] {
  return [
    { kind: 'latency-cdf', label, points: load.endToEndLatency.distribution.map(([p, us]) => [p, us / MS]) },
    { kind: 'throughput', label, points: load.ackedPerSecond.map((n, second) => [second, n]) },
  ]
}

/** An HDR histogram's summary in ms, in the form the reports show for every metric. */
function latencySummary(h: LatencySummary): SampleSummary {
  const at = (percentile: number) => (h.distribution.find(([p]) => p === percentile)?.[1] ?? Number.NaN) / MS
  return {
    n: h.count,
    mean: h.meanUs / MS,
    median: h.p50Us / MS,
    p90: h.p90Us / MS,
    p95: at(95),
    p99: h.p99Us / MS,
    min: h.minUs / MS,
    max: h.maxUs / MS,
    sd: h.sdUs / MS,
    medianInterval: null,
    hdrBase64: h.hdrBase64,
  }
}
