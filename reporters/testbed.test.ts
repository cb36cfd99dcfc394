import { describe, expect, test } from 'vitest'
import type { Baseline, Environment, MeasuredSuite } from '../model/results.ts'
import { syntheticEnvironment } from './synthetic-results.ts'
import { compareTestbeds, testbedHeadline } from './testbed.ts'
import { judgeSuite } from './verdict.ts'

const FAST: Environment = { ...syntheticEnvironment, calibration: { opsPerSecond: 20_000, version: 1 } }
const at = (opsPerSecond: number, over: Partial<Environment> = {}): Environment => ({
  ...FAST,
  ...over,
  calibration: { opsPerSecond, version: 1 },
})

describe('compareTestbeds', () => {
  test('the same fingerprint within 10% of the calibration speed is the same testbed', () => {
    expect(compareTestbeds(at(19_000), FAST)).toMatchObject({ same: true, speed: 0.95, differences: [] })
  })

  test('the same CPU name at 0.55x is another testbed, and the headline says how much slower', () => {
    const comparison = compareTestbeds(at(11_000), FAST)
    expect(comparison).toMatchObject({ same: false, speed: 0.55 })
    expect(comparison.differences).toEqual(["this machine runs the calibration workload at 0.55x the baseline's speed"])
    expect(testbedHeadline(comparison)).toMatch(
      /^on another testbed than the baseline's \(2 × Xeon, .*calibration 20,000 ops\/s\): this machine is 1\.82x slower$/,
    )
  })

  test('a faster machine is named faster, and another CPU model or core count is another testbed', () => {
    const comparison = compareTestbeds(at(40_000, { cpuModel: 'AMD EPYC', cores: 4 }), FAST)
    expect(comparison).toMatchObject({ same: false, speed: 2 })
    expect(comparison.differences).toContain("cpuModel is AMD EPYC, the baseline's was Xeon")
    expect(comparison.differences).toContain("cores is 4, the baseline's was 2")
    expect(testbedHeadline(comparison)).toMatch(/this machine is 2\.00x faster$/)
  })

  test('a baseline that records no speed cannot be on the same testbed', () => {
    const comparison = compareTestbeds(FAST, syntheticEnvironment)
    expect(comparison).toMatchObject({ same: false, speed: null })
    expect(comparison.differences[0]).toMatch(/records no calibration speed.*pnpm bench:update/)
  })
})

describe('judgeSuite on another testbed', () => {
  const baseline: Baseline = {
    schemaVersion: 1,
    suite: 'pipeline',
    recordedAt: '',
    environment: FAST,
    metrics: {
      't › throughput': { value: 100, unit: 'events/s', direction: 'higher', noise: 0.01, runs: 5 },
      't › given up': { value: 0, unit: 'events', direction: 'lower' },
      't › validate': { value: 1000, unit: 'ops/s', direction: 'higher', perCalibration: 0.05, noise: 0.01, runs: 5 },
    },
  }
  const measured = (perCalibration: number, givenUp: number): MeasuredSuite => ({
    suite: 'pipeline',
    file: 'suites/pipeline.bench.ts',
    status: 'passed',
    durationMs: 1,
    charts: [],
    metrics: [
      { test: 't', name: 'throughput', value: 40, unit: 'events/s', direction: 'higher', tolerance: 0.05 },
      { test: 't', name: 'given up', value: givenUp, unit: 'events', direction: 'lower', tolerance: 0, transfers: true },
      { test: 't', name: 'validate', value: 550, unit: 'ops/s', direction: 'higher', tolerance: 0.1, perCalibration },
    ],
  })
  const verdicts = (suite: MeasuredSuite, env: Environment) =>
    Object.fromEntries(judgeSuite(suite, baseline, compareTestbeds(env, FAST)).map((m) => [m.name, m.verdict]))

  test('a machine-speed figure is incomparable, with the reason and the command; what transfers is judged', () => {
    const judged = judgeSuite(measured(0.05, 0), baseline, compareTestbeds(at(11_000), FAST))
    expect(Object.fromEntries(judged.map((m) => [m.name, m.verdict]))).toEqual({
      throughput: 'incomparable',
      'given up': 'unchanged',
      validate: 'incomparable',
    })
    const [throughput] = judged
    expect(throughput?.verdict === 'incomparable' && throughput.reason).toMatch(/0\.55x the baseline's speed.*pnpm bench --against REF/)
    expect(judged[0]?.change).toBeNull()
  })

  test('what transfers still regresses: events given up', () => {
    expect(verdicts(measured(0.05, 30), at(11_000))).toMatchObject({ 'given up': 'regressed' })
  })

  test('a figure per calibration does not transfer: measured to move 11-18% between testbeds here', () => {
    expect(verdicts(measured(0.04, 0), at(11_000))).toMatchObject({ validate: 'incomparable' })
    expect(verdicts(measured(0.04, 0), at(11_000, { cpuModel: 'AMD EPYC' }))).toMatchObject({ validate: 'incomparable' })
  })

  test('on the same testbed everything is judged as before', () => {
    expect(verdicts(measured(0.04, 0), at(20_000))).toMatchObject({ throughput: 'regressed', validate: 'regressed' })
  })
})
