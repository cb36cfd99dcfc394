import { uniformFloat64 } from 'pure-rand/distribution/uniformFloat64'
import { xoroshiro128plus } from 'pure-rand/generator/xoroshiro128plus'
import { probit } from 'simple-statistics'
import { expect, test } from 'vitest'
import { detectChangePoint } from './change-point.ts'

// Synthetic histories (log-normal noise of 2%): this checks the method, not a measurement.
const rng = xoroshiro128plus(42)
const noisy = (center: number) => center * Math.exp(0.02 * probit(Math.min(1 - 1e-9, Math.max(1e-9, uniformFloat64(rng)))))

test('finds a 10% step where it happened', () => {
  const history = [...Array.from({ length: 12 }, () => noisy(100)), ...Array.from({ length: 8 }, () => noisy(90))]
  const found = detectChangePoint(history, 0.02)
  expect(found?.index).toBe(12)
  expect(found?.change).toBeCloseTo(-0.1, 1)
  expect(found?.pValue).toBeLessThan(0.01)
})

test('a flat history has no change point', () => {
  let flagged = 0
  for (let i = 0; i < 50; i++)
    if (
      detectChangePoint(
        Array.from({ length: 20 }, () => noisy(100)),
        0.02,
      )
    )
      flagged++
  expect(flagged).toBeLessThanOrEqual(1)
})

test('a significant but tiny shift is below the minimum effect', () => {
  const history = [...Array.from({ length: 10 }, (_, i) => 100 + (i % 2) * 0.01), ...Array.from({ length: 10 }, () => 101)]
  expect(detectChangePoint(history, 0.02)).toBeNull()
  expect(detectChangePoint(history, 0.005)?.index).toBe(10)
})

test('too short a history says nothing', () => {
  expect(detectChangePoint([1, 2, 3, 4, 5], 0.02)).toBeNull()
})
