import { basename } from 'node:path'
import type { TestCase, TestModule } from 'vitest/node'
import { readMetrics } from '../harness/metric.ts'
import type { MeasuredSuite } from './types.ts'

/**
 * Micro-benchmark medians on a shared 2-core machine usually agree within 5%, but one run in five or so
 * drops 20-45% (measured: 6 runs of `pnpm bench processor`). A plain tolerance must sit above that to not
 * cry wolf; ±50% still catches a 3x slowdown (-67%). The statistics engine (issue 4) replaces this.
 */
export const MICRO_BENCH_TOLERANCE = 0.5

export const suiteName = (moduleId: string) => basename(moduleId).replace(/\.(bench|benchmark)\.[cm]?[jt]sx?$/, '')

/** Turns one finished suite file into measured metrics and a status, at the edge between vitest and us. */
export function collectSuite(module: TestModule, root: string): MeasuredSuite {
  const tests = [...module.children.allTests()]
  const metrics: MeasuredSuite['metrics'] = []
  for (const testCase of tests) {
    metrics.push(...readMetrics(testCase.meta()).map((m) => ({ ...m, test: testCase.fullName })))
    metrics.push(...benchmarkMetrics(testCase))
  }
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
    suite: suiteName(module.moduleId),
    file: module.moduleId.startsWith(root) ? module.moduleId.slice(root.length + 1) : module.moduleId,
    status: failures.length > 0 || tests.length === 0 ? 'failed' : skipped ? 'skipped' : 'passed',
    ...(failures.length > 0
      ? { reason: failures.join('; ') }
      : tests.length === 0
        ? { reason: 'the file defines no test' }
        : skipped
          ? { reason: skipNotes.join('; ') || 'skipped without a reason' }
          : {}),
    durationMs: module.diagnostic().duration,
    metrics,
  }
}

// vitest's bench fixture results (tinybench underneath): the median throughput of each task.
function benchmarkMetrics(testCase: TestCase): MeasuredSuite['metrics'] {
  return testCase.benchmarks().flatMap((b) =>
    b.tasks
      .filter((task) => !task.fromStore)
      .map((task) => ({
        test: testCase.fullName,
        name: `${task.name} throughput`,
        value: task.throughput.p50,
        unit: 'ops/s',
        direction: 'higher' as const,
        tolerance: MICRO_BENCH_TOLERANCE,
      })),
  )
}

const firstLine = (s: string) => s.split('\n')[0] ?? s
