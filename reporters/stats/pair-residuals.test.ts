import { expect, test } from 'vitest'
import type { RunPair } from '../paired.ts'
import { syntheticMetric, syntheticResults, syntheticSuite } from '../synthetic-results.ts'
import { firstRunGain, orderGroups, pairedRunNoise, residuals } from './pair-residuals.ts'

// Synthetic pairs (unit test of pure arithmetic): the head is 10% faster, the side that runs first 4% more,
// and the pairs differ by ±1% around that.
const pair = (base: number, head: number, first: 'base' | 'head'): RunPair => {
  const run = (value: number) => syntheticResults({ suites: [syntheticSuite([syntheticMetric({ value })])] })
  return { base: run(base), head: run(head), firstSide: { pipeline: first } }
}
const wiggle = [0.01, -0.01, 0.01, -0.01]
const pairs = wiggle.flatMap((w) => [pair(100, 110 * 1.04 * (1 + w), 'head'), pair(100 * 1.04, 110 * (1 + w), 'base')])

test('a paired metric is grouped by the side that ran first; its residuals leave out the change and the order', () => {
  const groups = orderGroups(pairs, 'pipeline', 't › throughput', false)
  expect(groups.head).toHaveLength(4)
  expect(groups.base).toHaveLength(4)
  expect(Math.exp(firstRunGain(groups))).toBeCloseTo(1.04, 2)
  const rest = residuals(groups)
  expect(Math.max(...rest.map(Math.abs))).toBeLessThan(0.011)
  // Each log ratio carries two runs' noise: ±1% per ratio is ~0.7% per run.
  expect(pairedRunNoise(rest)).toBeCloseTo((0.01 * 1.4826) / Math.SQRT2, 3)
})

test('a pair without the metric on one side, or without a known order, is left out', () => {
  const missing = { ...pair(100, 110, 'head'), firstSide: {} }
  expect(orderGroups([...pairs, missing], 'pipeline', 't › throughput', false).head).toHaveLength(4)
  expect(orderGroups(pairs, 'pipeline', 't › other', false)).toEqual({ base: [], head: [] })
})

test('an order group of one ratio leaves no residuals at all: its ratio is its own median', () => {
  const groups = orderGroups(pairs.slice(0, 3), 'pipeline', 't › throughput', false)
  expect(groups.base).toHaveLength(1)
  expect(residuals(groups)).toEqual([])
})
