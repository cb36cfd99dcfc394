import { expect, test } from 'vitest'
import { COMMENT_MARKER, renderMarkdown } from './markdown.ts'
import type { JudgedMetric, RunResults } from './types.ts'

// Synthetic results: this checks rendering, not measurement.
const metric = (over: Partial<JudgedMetric>): JudgedMetric => ({
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
  verdict: 'regressed',
  ...over,
})

const results = (over: Partial<RunResults> = {}): RunResults => ({
  schemaVersion: 1,
  startedAt: '2026-11-23T00:00:00.000Z',
  finishedAt: '2026-11-23T00:01:00.000Z',
  environment: {
    profile: 'local',
    profileReason: 'no engine',
    cpuModel: 'Xeon',
    cores: 2,
    memoryBytes: 24 * 2 ** 30,
    os: 'Linux',
    node: 'v24',
  },
  suites: [{ suite: 'pipeline', file: 'suites/pipeline.bench.ts', status: 'passed', durationMs: 1, metrics: [metric({})] }],
  errors: [],
  summary: { improved: 0, unchanged: 0, regressed: 1, new: 0, missing: 0, failedSuites: 0, skippedSuites: 0 },
  ...over,
})

test('starts with the comment marker and a headline that counts regressions', () => {
  const md = renderMarkdown(results())
  expect(md.startsWith(`${COMMENT_MARKER}\n### performance-observatory: 🔴 1 metric regressed`)).toBe(true)
})

test('renders one table row per metric with baseline, current, change and verdict', () => {
  expect(renderMarkdown(results())).toContain('| t › throughput | 10,000 events/s | 9,000 events/s | -10.0% (±5%) | 🔴 regressed |')
})

test('a failed suite or an invalid baseline turns the headline into "could not be judged"', () => {
  const md = renderMarkdown(results({ errors: ['baselines/x.json is not valid:\n  - at /metrics: must be object'] }))
  expect(md).toContain('❌ Benchmarks could not be judged')
  expect(md).toContain('> baselines/x.json is not valid:\n>   - at /metrics: must be object')
})

test('pipes and angle brackets in names cannot break the table or inject HTML', () => {
  const md = renderMarkdown(
    results({ suites: [{ suite: 's', file: 'f', status: 'passed', durationMs: 1, metrics: [metric({ key: 'a|b <img>' })] }] }),
  )
  expect(md).toContain('| a\\|b &lt;img> |')
})

test('a clean run says so', () => {
  const clean = results({ summary: { improved: 0, unchanged: 1, regressed: 0, new: 0, missing: 0, failedSuites: 0, skippedSuites: 0 } })
  expect(renderMarkdown(clean)).toContain('✅ No regression')
})
