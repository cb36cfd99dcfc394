import { describe, expect, test } from 'vitest'
import { CONFIRM_LEVEL, firstSideOf, mergeRuns, suitesToConfirm } from './paired.ts'
import { syntheticMetric, syntheticResults, syntheticSuite } from './synthetic-results.ts'

// Pure logic of paired mode on synthetic results (never measurements): how one side of a pair measured
// suite by suite becomes one run, and which suites the gate's confirmation stage runs again.

describe('mergeRuns', () => {
  test('one side measured suite by suite is one run: every suite in order, from the first start, summary recounted', () => {
    const api = syntheticResults({ startedAt: '2026-12-01T10:00:00.000Z', suites: [syntheticSuite([syntheticMetric()], { suite: 'api' })] })
    const skipped = syntheticSuite([], { suite: 'operator', status: 'skipped', reason: 'no control plane' })
    const operator = syntheticResults({ startedAt: '2026-12-01T10:05:00.000Z', suites: [skipped], errors: ['bad baseline'] })
    const merged = mergeRuns([api, operator])
    expect(merged.suites.map((s) => s.suite)).toEqual(['api', 'operator'])
    expect(merged.startedAt).toBe('2026-12-01T10:00:00.000Z')
    expect(merged.errors).toEqual(['bad baseline'])
    expect(merged.summary).toMatchObject({ regressed: 1, skippedSuites: 1 })
    expect(() => mergeRuns([])).toThrow(/at least one run/)
  })
})

describe('suitesToConfirm', () => {
  // A metric 10% worse than its base, not proven, with this one-sided p-value.
  const suspect = (pValue: number, over = {}) =>
    syntheticMetric({ verdict: 'unchanged', change: -0.1, threshold: 0.02, pValue, ...over, key: `k${pValue}` })
  const fillers = (n: number) =>
    Array.from({ length: n }, (_, i) => syntheticMetric({ key: `f${i}`, verdict: 'unchanged', change: 0, pValue: 0.5 }))
  const run = (suites: [string, ReturnType<typeof syntheticMetric>[]][]) =>
    syntheticResults({ suites: suites.map(([suite, metrics]) => syntheticSuite(metrics, { suite })) })

  test(`a metric worse than its base with p below ${CONFIRM_LEVEL} confirms its suite, and only it`, () => {
    expect(
      suitesToConfirm(
        run([
          ['pipeline', [suspect(CONFIRM_LEVEL / 2), ...fillers(9)]],
          ['api', fillers(10)],
        ]),
      ),
    ).toEqual(['pipeline'])
    expect(
      suitesToConfirm(
        run([
          ['pipeline', [suspect(CONFIRM_LEVEL * 2), ...fillers(9)]],
          ['api', fillers(10)],
        ]),
      ),
    ).toEqual([])
  })

  test('a metric better than its base, within the minimum effect, or already regressed is not confirmed', () => {
    const tiny = 1e-6
    expect(suitesToConfirm(run([['a', [suspect(tiny, { change: 0.1 })]]]))).toEqual([])
    expect(suitesToConfirm(run([['a', [suspect(tiny, { change: -0.01 })]]]))).toEqual([])
    expect(suitesToConfirm(run([['a', [suspect(tiny, { verdict: 'regressed' })]]]))).toEqual([])
    // For a figure where lower is better, worse is up.
    expect(suitesToConfirm(run([['a', [suspect(tiny, { direction: 'lower', change: 0.1 })]]]))).toEqual(['a'])
  })
})

test('which side goes first alternates between pairs and between suites', () => {
  expect([1, 2, 3].map((pair) => firstSideOf(pair, 0))).toEqual(['base', 'head', 'base'])
  expect([0, 1, 2].map((suite) => firstSideOf(1, suite))).toEqual(['base', 'head', 'base'])
})
