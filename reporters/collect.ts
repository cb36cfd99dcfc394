import { basename } from 'node:path'
import { median } from 'simple-statistics'
import type { TestCase, TestModule } from 'vitest/node'
import { CALIBRATION_TASK, CALIBRATION_VERSION } from '../harness/calibration-workload.ts'
import { measuredSuite } from '../harness/implementations.ts'
import { readCharts, readCpuProfiles, readFacts, readMetrics } from '../harness/metric.ts'
import type { MeasuredSuite } from '../model/results.ts'
import { summarizeSamples } from './stats/summary.ts'

/**
 * Micro-benchmark medians from different processes agree within about 2% here once divided by the
 * calibration workload, which cancels the per-process slow mode (one process in five to ten runs 40%
 * slower). A single run against a baseline still needs room for the rest: 10%. Paired runs
 * (`pnpm bench --against`) resolve 5% and below.
 */
export const MICRO_BENCH_TOLERANCE = 0.1

export const suiteName = (moduleId: string) => basename(moduleId).replace(/\.(bench|benchmark)\.[cm]?[jt]sx?$/, '')

/** Turns one finished suite file into measured metrics and a status, at the edge between vitest and us. */
export function collectSuite(module: TestModule, root: string): MeasuredSuite {
  const tests = [...module.children.allTests()]
  const metrics: MeasuredSuite['metrics'] = []
  const calibrations: number[] = []
  const charts: MeasuredSuite['charts'] = []
  const profiles: MeasuredSuite['profiles'] = []
  for (const testCase of tests) {
    metrics.push(...readMetrics(testCase.meta()).map((m) => ({ ...m, test: testCase.fullName })))
    charts.push(...readCharts(testCase.meta()))
    // Named as the test's metrics are (the harness knows only the test's own name).
    profiles.push(...readCpuProfiles(testCase.meta()).map((p) => ({ ...p, test: testCase.fullName })))
    const rounds = benchmarkRounds(testCase)
    calibrations.push(...rounds.calibrations)
    metrics.push(...rounds.metrics)
  }
  const calibration = calibrations.length > 0 ? { opsPerSecond: median(calibrations), version: CALIBRATION_VERSION } : undefined
  const failures = [
    ...module.errors().map((e) => e.message),
    ...tests.flatMap((t) => {
      const r = t.result()
      return r.state === 'failed' ? (r.errors ?? []).map((e) => `${t.fullName}: ${firstLine(e.message)}`) : []
    }),
  ]
  const skipped = tests.length > 0 && tests.every((t) => t.result().state === 'skipped')
  const skipNotes = tests.map((t) => t.result()).flatMap((r) => (r.state === 'skipped' && r.note ? [r.note] : []))
  return {
    suite: measuredSuite(suiteName(module.moduleId)),
    file: module.moduleId.startsWith(root) ? module.moduleId.slice(root.length + 1) : module.moduleId,
    status: failures.length > 0 || tests.length === 0 ? 'failed' : skipped ? 'skipped' : 'passed',
    ...(failures.length > 0
      ? { reason: failures.join('; ') }
      : tests.length === 0
        ? { reason: 'the file defines no test' }
        : skipped
          ? { reason: [...new Set(skipNotes)].join('; ') || 'skipped without a reason' }
          : {}),
    durationMs: module.diagnostic().duration,
    metrics,
    charts,
    ...(profiles.length > 0 ? { profiles } : {}),
    facts: Object.assign({}, ...tests.map((t) => readFacts(t.meta()))),
    ...(calibration ? { calibration } : {}),
  }
}

/**
 * vitest bench fixture results (tinybench underneath). A suite may measure in rounds (several
 * `bench.compare` calls, each with the calibration task): a task's figure is its median throughput over the
 * rounds, and its figure per calibration the median of its ratio to the calibration of the same round, so
 * a slow spell of the machine that spans a round or two moves neither.
 */
function benchmarkRounds(testCase: TestCase): { calibrations: number[]; metrics: MeasuredSuite['metrics'] } {
  const raw = new Map<string, number[]>()
  const relative = new Map<string, number[]>()
  const calibrations: number[] = []
  for (const round of testCase.benchmarks()) {
    const tasks = round.tasks.filter((t) => !t.fromStore)
    const calibration = tasks.find((t) => t.name === CALIBRATION_TASK)?.throughput.p50
    if (calibration) calibrations.push(calibration)
    for (const task of tasks.filter((t) => t.name !== CALIBRATION_TASK)) {
      raw.set(task.name, [...(raw.get(task.name) ?? []), task.throughput.p50])
      if (calibration) relative.set(task.name, [...(relative.get(task.name) ?? []), task.throughput.p50 / calibration])
    }
  }
  const metrics = [...raw].map(([task, values]) => {
    const ratios = relative.get(task)
    return {
      test: testCase.fullName,
      name: `${task} throughput`,
      value: median(values),
      unit: 'ops/s',
      direction: 'higher' as const,
      tolerance: MICRO_BENCH_TOLERANCE,
      summary: summarizeSamples(values),
      ...(ratios?.length === values.length ? { perCalibration: median(ratios) } : {}),
    }
  })
  return { calibrations, metrics }
}

const firstLine = (s: string) => s.split('\n')[0] ?? s
