import { describe, expect, test } from 'vitest'
import { CONFIRM_LEVEL, firstSideOf, judgePaired, keptPairs, mergeRuns, needsAnotherPair, type RunPair, suitesToConfirm } from './paired.ts'
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

describe('keptPairs', () => {
  // A pair whose sides ran their calibration at these speeds; a pair's number is its base's run id.
  const pair = (id: number, base: number, head = base): RunPair => {
    const side = (opsPerSecond: number) =>
      syntheticResults({
        startedAt: String(id),
        suites: [syntheticSuite([], { suite: 'processor', calibration: { opsPerSecond, version: 1 } })],
      })
    return { base: side(base), head: side(head) }
  }
  const ids = (pairs: RunPair[]) => pairs.map((p) => Number(p.base.startedAt))

  test('a pair with either side in a slow spell is replaced while replacements are left', () => {
    const done = [pair(1, 100), pair(2, 100, 60), pair(3, 101), pair(4, 99)]
    expect(needsAnotherPair(done.slice(0, 3), 3)).toBe(true)
    expect(needsAnotherPair(done, 3)).toBe(false)
    expect(ids(keptPairs(done, 3))).toEqual([1, 3, 4])
  })

  test('when the replacements run out, the mildest spelled pairs make up the number, in their order', () => {
    // A machine slow much of the time: 8 of 12 pairs spelled (under CI, 6 of 9 were).
    const speeds = [100, 60, 70, 100, 50, 80, 100, 75, 55, 100, 60, 65]
    const done = speeds.map((s, i) => pair(i + 1, 100, s))
    expect(needsAnotherPair(done.slice(0, 11), 6)).toBe(true)
    expect(needsAnotherPair(done, 6)).toBe(false)
    expect(ids(keptPairs(done, 6))).toEqual([1, 4, 6, 7, 8, 10])
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
    expect(suitesToConfirm(run([['a', [suspect(tiny, { explains: true })]]]))).toEqual([])
    // For a figure where lower is better, worse is up.
    expect(suitesToConfirm(run([['a', [suspect(tiny, { direction: 'lower', change: 0.1 })]]]))).toEqual(['a'])
  })

  test('with a promise, only a change the confirmation could prove at the noise its last look will pool', () => {
    // 100 metrics judged at 0.005 together: the projection must clear z ~3.3 at 16 pairs.
    const promise = { finalPairs: 16, alpha: 0.005 }
    const confirmed = (metric: ReturnType<typeof syntheticMetric>) =>
      suitesToConfirm(run([['a', [metric, ...fillers(99)]]]), promise).length === 1
    // -5% in pairs that vary 1%, beside a baseline that recorded 5% (a session's drift): 16 pairs prove it
    // (pooled sd 2.7%, z 7.5), though the baseline's noise alone would say no (z 2.9).
    expect(confirmed(suspect(0.08, { change: -0.05, pairs: 6, pairNoise: 0.01, noise: 0.05, noiseRuns: 5 }))).toBe(true)
    // -3% in pairs that vary 5%: z 2.4 at 16 pairs, a chance suspicion not worth 10 more pairs.
    expect(confirmed(suspect(0.08, { change: -0.03, pairs: 6, pairNoise: 0.05, noise: 0.05, noiseRuns: 5 }))).toBe(false)
    // A result without the pairs' noise: projected from its p-value (0.001 in 6 pairs: z 5.0 at 16; 0.08: 2.3).
    expect(confirmed(suspect(0.001, { pairs: 6 }))).toBe(true)
    expect(confirmed(suspect(0.08, { pairs: 6 }))).toBe(false)
  })
})

test('which side goes first alternates between pairs and between suites', () => {
  expect([1, 2, 3].map((pair) => firstSideOf(pair, 0))).toEqual(['base', 'head', 'base'])
  expect([0, 1, 2].map((suite) => firstSideOf(1, suite))).toEqual(['base', 'head', 'base'])
})

describe('judgePaired: figures that explain a change', () => {
  // Six pairs of one suite: a primary throughput and an explaining GC count, each side's values given.
  const pairs = (throughput: [number, number], gcCount: [number, number]): RunPair[] =>
    [1, 0.99, 1.01, 1, 1.02, 0.98].map((wobble) => {
      const side = (t: number, gc: number) =>
        syntheticResults({
          suites: [
            syntheticSuite([
              syntheticMetric({
                key: 't › throughput',
                name: 'throughput',
                value: t * wobble,
                verdict: 'new',
                baseline: null,
                change: null,
              }),
              syntheticMetric({
                key: 't › processor GC count',
                name: 'processor GC count',
                unit: 'collections',
                direction: 'lower',
                value: gc * wobble,
                explains: true,
                verdict: 'new',
                baseline: null,
                change: null,
              }),
            ]),
          ],
        })
      return { base: side(throughput[0], gcCount[0]), head: side(throughput[1], gcCount[1]) }
    })
  const verdicts = (judged: ReturnType<typeof judgePaired>) => judged.suites[0]?.metrics.map((m) => m.verdict)

  test('alone, a worse explaining figure is never a regression: an unchanged pull request stays green', () => {
    expect(verdicts(judgePaired(pairs([10_000, 10_000], [100, 150]), { ref: 'base', commit: '0', pairs: 6, replaced: 0 }))).toEqual([
      'unchanged',
      'unchanged',
    ])
  })

  test('behind a regressed primary figure it is judged, and says where the change came from', () => {
    expect(verdicts(judgePaired(pairs([10_000, 8_000], [100, 150]), { ref: 'base', commit: '0', pairs: 6, replaced: 0 }))).toEqual([
      'regressed',
      'regressed',
    ])
  })
})
