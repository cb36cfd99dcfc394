import { expect, test } from 'vitest'
import type { JudgedMetric, RunResults, SuiteResult } from '../model/results.ts'
import { baselinesFromRuns } from './calibration.ts'
import { syntheticMetric, syntheticResults, syntheticSuite } from './synthetic-results.ts'

// Synthetic run results: this checks the arithmetic, not measurement.
const metric = (name: string, value: number): JudgedMetric =>
  syntheticMetric({
    key: `t › ${name}`,
    name,
    unit: 'ms',
    direction: 'lower',
    tolerance: 0.1,
    threshold: 0.1,
    value,
    baseline: null,
    change: null,
    verdict: 'new',
  })
const suite = (metrics: JudgedMetric[], status: SuiteResult['status'] = 'passed'): SuiteResult =>
  syntheticSuite(metrics, { suite: 's', file: 'f', status })
const run = (...suites: SuiteResult[]): RunResults => syntheticResults({ suites })

test('takes the median and a robust noise that one wild run does not blow up', () => {
  const values = [10, 11, 9, 10, 40]
  const [outcome] = baselinesFromRuns(
    values.map((v) => run(suite([metric('p99', v)]))),
    'now',
  )
  expect(outcome && 'baseline' in outcome).toBe(true)
  const m = outcome && 'baseline' in outcome ? outcome.baseline.metrics['t › p99'] : undefined
  expect(m?.value).toBe(10)
  expect(m?.runs).toBe(5)
  expect(m?.noise).toBeCloseTo((1.4826 * 1) / 10, 6) // MAD of [9,10,10,11,40] is 1
})

test('records how far the worst run lay from the median in the bad direction, which robust noise ignores', () => {
  // Two modes, as the mixed scenario's processor CPU showed (3 runs near 7 CPU s, 2 near 12.5).
  const values = [7, 7.3, 12.5, 7.1, 13.8]
  const [outcome] = baselinesFromRuns(
    values.map((v) => run(suite([metric('cpu', v)]))),
    'now',
  )
  const m = outcome && 'baseline' in outcome ? outcome.baseline.metrics['t › cpu'] : undefined
  expect(m?.value).toBe(7.3)
  expect(m?.noise).toBeLessThan(0.1)
  expect(m?.worstRun).toBeCloseTo(13.8 / 7.3 - 1, 9)
  // For a higher-is-better figure the bad direction is down; a run above the median is not 'worse'.
  const higher = baselinesFromRuns(
    [100, 90, 120, 101, 99].map((v) => run(suite([{ ...metric('rate', v), direction: 'higher' }]))),
    'now',
  )[0]
  const rate = higher && 'baseline' in higher ? higher.baseline.metrics['t › rate'] : undefined
  expect(rate?.worstRun).toBeCloseTo(0.1, 9)
})

test('records no noise from fewer than three runs', () => {
  const [outcome] = baselinesFromRuns([run(suite([metric('p99', 10)])), run(suite([metric('p99', 12)]))], 'now')
  const m = outcome && 'baseline' in outcome ? outcome.baseline.metrics['t › p99'] : undefined
  expect(m?.value).toBe(11)
  expect(m?.noise).toBeUndefined()
  expect(m?.worstRun).toBeUndefined()
})

test('a suite that failed in any run gets no new baseline', () => {
  const outcomes = baselinesFromRuns([run(suite([metric('p99', 10)])), run(suite([], 'failed')), run(suite([metric('p99', 10)]))], 'now')
  expect(outcomes).toEqual([{ suite: 's', skipped: 'failed in at least one run' }])
})

test('a metric measured in only some runs is left out', () => {
  const [outcome] = baselinesFromRuns(
    [run(suite([metric('a', 1), metric('b', 2)])), run(suite([metric('a', 1)])), run(suite([metric('a', 1)]))],
    'now',
  )
  expect(outcome && 'baseline' in outcome ? Object.keys(outcome.baseline.metrics) : []).toEqual(['t › a'])
})
