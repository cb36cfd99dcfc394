import type { JudgedMetric, RunResults, SuiteResult } from '../model/results.ts'

// Builders of synthetic results for unit tests of pure logic (rendering, arithmetic), never measurements.

export const syntheticEnvironment: RunResults['environment'] = {
  profile: 'local',
  profileReason: 'no engine',
  cpuModel: 'Xeon',
  cores: 2,
  memoryBytes: 24 * 2 ** 30,
  os: 'Linux',
  node: 'v24',
}

/** A regressed metric, with any fields replaced; the caller keeps the replaced fields true to the verdict. */
export const syntheticMetric = (over: Partial<JudgedMetric> = {}): JudgedMetric =>
  ({
    key: 't › throughput',
    test: 't',
    name: 'throughput',
    unit: 'events/s',
    direction: 'higher',
    tolerance: 0.05,
    noise: null,
    threshold: 0.05,
    value: 9000,
    baseline: 10_000,
    change: -0.1,
    interval: null,
    pairs: null,
    perCalibration: null,
    normalized: false,
    verdict: 'regressed',
    ...over,
  }) as JudgedMetric

export const syntheticSuite = (metrics: JudgedMetric[], over: Partial<SuiteResult> = {}): SuiteResult => ({
  suite: 'pipeline',
  file: 'suites/pipeline.bench.ts',
  status: 'passed',
  durationMs: 1,
  metrics,
  ...over,
})

export const syntheticResults = (over: Partial<RunResults> = {}): RunResults => ({
  schemaVersion: 1,
  startedAt: '2026-11-23T00:00:00.000Z',
  finishedAt: '2026-11-23T00:01:00.000Z',
  mode: 'baseline',
  environment: syntheticEnvironment,
  environmentNotes: [],
  suites: [syntheticSuite([syntheticMetric()])],
  errors: [],
  summary: { improved: 0, unchanged: 0, regressed: 1, new: 0, missing: 0, incomparable: 0, failedSuites: 0, skippedSuites: 0 },
  ...over,
})
