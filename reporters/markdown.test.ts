import { expect, test } from 'vitest'
import { COMMENT_MARKER, renderMarkdown } from './markdown.ts'
import { syntheticMetric, syntheticResults } from './synthetic-results.ts'

// Synthetic results: this checks rendering, not measurement.
const metric = syntheticMetric
const results = syntheticResults

test('starts with the comment marker and a headline that counts regressions', () => {
  const md = renderMarkdown(results())
  expect(md.startsWith(`${COMMENT_MARKER}\n### performance-observatory: 🔴 1 metric regressed`)).toBe(true)
})

test('renders one table row per metric with baseline, current, change and verdict', () => {
  expect(renderMarkdown(results())).toContain('| t › throughput | 10,000 events/s | 9,000 events/s | -10.0% (±5%) | 🔴 regressed |  |')
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
  const clean = results({
    summary: { improved: 0, unchanged: 1, regressed: 0, new: 0, missing: 0, incomparable: 0, failedSuites: 0, skippedSuites: 0 },
  })
  expect(renderMarkdown(clean)).toContain('✅ No regression')
})

test('paired mode names its columns base and head and says what it compared', () => {
  const md = renderMarkdown(results({ mode: 'paired', against: { ref: 'main', commit: '0123456789abcdef', pairs: 10, replaced: 1 } }))
  expect(md).toContain('| metric | base | head | change [interval] (threshold) | verdict | trend |')
  expect(md).toContain('Paired mode: 10 interleaved pairs of runs against `main` (0123456789ab), 1 more replaced')
  expect(md).not.toContain('judged although')
  const short = renderMarkdown(results({ mode: 'paired', against: { ref: 'main', commit: '0', pairs: 6, replaced: 6, slowKept: 2 } }))
  expect(short).toContain('6 more replaced (measured in a slow spell of the machine), 2 judged although measured in a slow spell')
})
