import { describe, expect, test } from 'vitest'
import type { Baseline, MeasuredSuite } from '../model/results.ts'
import { syntheticMetric, syntheticSuite } from './synthetic-results.ts'
import { effectiveThreshold, gateExplaining, judgeSuite, judgeValue, NOISE_K, speedRatio } from './verdict.ts'

describe('judgeValue', () => {
  test.each([
    { value: 80, base: 100, direction: 'higher', verdict: 'regressed' },
    { value: 95, base: 100, direction: 'higher', verdict: 'unchanged' },
    { value: 120, base: 100, direction: 'higher', verdict: 'improved' },
    { value: 120, base: 100, direction: 'lower', verdict: 'regressed' },
    { value: 105, base: 100, direction: 'lower', verdict: 'unchanged' },
    { value: 80, base: 100, direction: 'lower', verdict: 'improved' },
  ] as const)('$value vs $base ($direction is better) at 10% is $verdict', ({ value, base, direction, verdict }) => {
    expect(judgeValue(value, base, direction, 0.1).verdict).toBe(verdict)
  })

  test('reports the relative change', () => {
    expect(judgeValue(75, 100, 'higher', 0.1).change).toBeCloseTo(-0.25)
  })

  test('a change exactly at the tolerance is unchanged', () => {
    expect(judgeValue(90, 100, 'higher', 0.1).verdict).toBe('unchanged')
  })

  test('a zero baseline has no relative change but still a direction', () => {
    expect(judgeValue(0, 0, 'lower', 0.1)).toEqual({ verdict: 'unchanged', change: 0 })
    expect(judgeValue(3, 0, 'lower', 0.1)).toEqual({ verdict: 'regressed', change: null })
  })
})

// Synthetic baselines and suites: these tests check the judging rule, not measurement.
const testEnvironment = { profile: 'local', profileReason: '', cpuModel: '', cores: 2, memoryBytes: 1, os: '', node: '' }
const baselineWith = (metrics: Baseline['metrics']): Baseline => ({
  schemaVersion: 1,
  suite: 's',
  recordedAt: '',
  environment: testEnvironment,
  metrics,
})
const suiteWith = (metrics: MeasuredSuite['metrics']): MeasuredSuite => ({
  suite: 's',
  file: 'f',
  status: 'passed',
  durationMs: 1,
  charts: [],
  metrics,
})

describe('judgeSuite', () => {
  const env = { profile: 'local', profileReason: '', cpuModel: '', cores: 2, memoryBytes: 1, os: '', node: '' }
  const baseline: Baseline = {
    schemaVersion: 1,
    suite: 's',
    recordedAt: '',
    environment: env,
    metrics: {
      't › kept': { value: 100, unit: 'ops/s', direction: 'higher' },
      't › gone': { value: 5, unit: 'ms', direction: 'lower' },
    },
  }
  const measured: MeasuredSuite = {
    suite: 's',
    file: 's.bench.ts',
    status: 'passed',
    durationMs: 1,
    charts: [],
    metrics: [
      { test: 't', name: 'kept', value: 50, unit: 'ops/s', direction: 'higher', tolerance: 0.2 },
      { test: 't', name: 'added', value: 1, unit: 'ms', direction: 'lower', tolerance: 0.2 },
    ],
  }

  test('gives regressed, new and missing verdicts by key', () => {
    const verdicts = Object.fromEntries(judgeSuite(measured, baseline).map((m) => [m.key, m.verdict]))
    expect(verdicts).toEqual({ 't › kept': 'regressed', 't › added': 'new', 't › gone': 'missing' })
  })

  test('without a baseline every metric is new', () => {
    expect(judgeSuite(measured, undefined).map((m) => m.verdict)).toEqual(['new', 'new'])
  })
})

describe('noise-aware threshold', () => {
  test('is the tolerance for a quiet metric and K noise widths for a noisy one', () => {
    expect(effectiveThreshold(0.1, undefined)).toBe(0.1)
    expect(effectiveThreshold(0.1, 0.01)).toBe(0.1)
    expect(effectiveThreshold(0.1, 0.1)).toBeCloseTo(NOISE_K * 0.1)
  })

  test('a change within the recorded noise is not a regression, the same change on a quiet metric is', () => {
    const measured: MeasuredSuite = {
      suite: 's',
      file: 'f',
      status: 'passed',
      durationMs: 1,
      charts: [],
      metrics: [{ test: 't', name: 'p99', value: 13, unit: 'ms', direction: 'lower', tolerance: 0.2 }],
    }
    const env = { profile: 'local', profileReason: '', cpuModel: '', cores: 2, memoryBytes: 1, os: '', node: '' }
    const base = (noise?: number): Baseline => ({
      schemaVersion: 1,
      suite: 's',
      recordedAt: '',
      environment: env,
      metrics: { 't › p99': { value: 10, unit: 'ms', direction: 'lower', ...(noise === undefined ? {} : { noise }) } },
    })
    expect(judgeSuite(measured, base(0.15))[0]).toMatchObject({ verdict: 'unchanged', threshold: expect.closeTo(0.45, 9), noise: 0.15 })
    expect(judgeSuite(measured, base())[0]).toMatchObject({ verdict: 'regressed', threshold: 0.2, noise: null })
  })

  test("a figure no worse than the baseline's own worst run is not a regression; beyond it, it is", () => {
    const baseline = baselineWith({ 't › cpu': { value: 7.3, unit: 'CPU s', direction: 'lower', noise: 0.03, worstRun: 0.89, runs: 5 } })
    const cpu = (value: number) => suiteWith([{ test: 't', name: 'cpu', value, unit: 'CPU s', direction: 'lower', tolerance: 0.6 }])
    expect(judgeSuite(cpu(13), baseline)[0]).toMatchObject({ verdict: 'unchanged', threshold: 0.89 })
    expect(judgeSuite(cpu(14.5), baseline)[0]).toMatchObject({ verdict: 'regressed', threshold: 0.89 })
  })
})

describe('normalisation by the calibration workload', () => {
  const base: Baseline = {
    schemaVersion: 1,
    suite: 's',
    recordedAt: '',
    environment: { profile: 'local', profileReason: '', cpuModel: 'c', cores: 2, memoryBytes: 1, os: 'Linux', node: 'v24' },
    calibration: { opsPerSecond: 1000, version: 1 },
    metrics: { 't › validate': { value: 100, unit: 'ops/s', direction: 'higher', perCalibration: 0.1 } },
  }
  const run = (value: number, calibration?: number): MeasuredSuite => ({
    suite: 's',
    file: 'f',
    status: 'passed',
    durationMs: 1,
    charts: [],
    metrics: [
      {
        test: 't',
        name: 'validate',
        value,
        unit: 'ops/s',
        direction: 'higher',
        tolerance: 0.1,
        ...(calibration ? { perCalibration: value / calibration } : {}),
      },
    ],
  })

  test('a machine running everything 40% slower is not a regression', () => {
    const [m] = judgeSuite(run(60, 600), base)
    expect(m).toMatchObject({ verdict: 'unchanged', normalized: true })
    expect(m?.change).toBeCloseTo(0)
  })

  test('a slowdown of the task alone still is', () => {
    expect(judgeSuite(run(80, 1000), base)[0]).toMatchObject({ verdict: 'regressed', normalized: true })
  })

  test('figures without a calibration beside them stay raw', () => {
    expect(judgeSuite(run(60), base)[0]).toMatchObject({ verdict: 'regressed', normalized: false })
  })

  test('a different calibration version is not comparable', () => {
    expect(speedRatio({ opsPerSecond: 1, version: 2 }, base.calibration)).toBeUndefined()
  })
})

describe('gateExplaining', () => {
  const explaining = (verdict: 'regressed' | 'improved') => syntheticMetric({ key: 't › processor GC count', explains: true, verdict })
  test('alone, an explaining figure beyond its threshold counts as unchanged; behind a primary one that moved the same way it stays', () => {
    const alone = gateExplaining([syntheticSuite([explaining('regressed'), syntheticMetric({ key: 't › a', verdict: 'unchanged' })])])
    expect(alone[0]?.metrics.map((m) => m.verdict)).toEqual(['unchanged', 'unchanged'])
    const behind = gateExplaining([
      syntheticSuite([explaining('regressed')], { suite: 'patterns' }),
      syntheticSuite([syntheticMetric({ key: 't › a', verdict: 'regressed' })]),
    ])
    expect(behind.flatMap((s) => s.metrics.map((m) => m.verdict))).toEqual(['regressed', 'regressed'])
    // An improvement elsewhere does not open the worse direction.
    const improvedElsewhere = gateExplaining([
      syntheticSuite([explaining('regressed'), syntheticMetric({ key: 't › a', verdict: 'improved' })]),
    ])
    expect(improvedElsewhere[0]?.metrics.map((m) => m.verdict)).toEqual(['unchanged', 'improved'])
  })
})
