import { expect, test } from 'vitest'
import { type HoldsRate, searchSustainableRate } from './rate-search.ts'

// The search's logic against a fake pipeline (a pure function of the offered rate, never a measurement).
const STEPS = [25_000, 50_000, 100_000, 150_000]
const SEARCH = { steps: STEPS, resolution: 0.05, maxHalvings: 3 }
const upTo =
  (capacity: number, offered: number[] = []): HoldsRate =>
  async (rate) => {
    offered.push(rate)
    return rate <= capacity
  }

test('bisects after the first failing step to within the resolution, below the true maximum', async () => {
  const found = await searchSustainableRate(upTo(94_600), SEARCH)
  expect(found).toBeLessThanOrEqual(94_600)
  expect(found).toBeGreaterThan(94_600 / 1.05)
})

test('a step that fails once in a pause is retried, and does not cut the search short', async () => {
  let pauses = 1
  const offered: number[] = []
  const flaky: HoldsRate = async (rate) => {
    offered.push(rate)
    if (rate === 50_000 && pauses-- > 0) return false // one pause at 50k
    return rate <= 94_600
  }
  expect(await searchSustainableRate(flaky, SEARCH)).toBeGreaterThan(94_600 / 1.05)
  expect(offered.slice(0, 3)).toEqual([25_000, 50_000, 50_000])
})

test('a rate that fails twice is not sustained; the last step held means the ceiling was not reached', async () => {
  const offered: number[] = []
  await searchSustainableRate(upTo(60_000, offered), SEARCH)
  expect(offered.filter((r) => r === 100_000)).toHaveLength(2)
  expect(await searchSustainableRate(upTo(1e9), SEARCH)).toBe(150_000)
})

test('when even the first step fails, it halves; nothing sustained at all gives 0', async () => {
  const found = await searchSustainableRate(upTo(9_000), SEARCH)
  expect(found).toBeLessThanOrEqual(9_000)
  expect(found).toBeGreaterThan(9_000 / 1.05)
  expect(await searchSustainableRate(upTo(0), SEARCH)).toBe(0)
})

test('from an expected rate: starts just below it, climbs, and finds the same maximum in fewer steps', async () => {
  const fromBottom: number[] = []
  const fromExpected: number[] = []
  const plain = await searchSustainableRate(upTo(94_600, fromBottom), SEARCH)
  const hinted = await searchSustainableRate(upTo(94_600, fromExpected), { ...SEARCH, expected: 95_000 })
  expect(fromExpected[0]).toBe(85_500)
  expect(hinted).toBeLessThanOrEqual(94_600)
  expect(hinted).toBeGreaterThan(94_600 / 1.05)
  expect(Math.abs(hinted - plain) / plain).toBeLessThanOrEqual(0.05)
  expect(fromExpected.length).toBeLessThan(fromBottom.length)
})

test('an expected rate from a machine of another speed still finds the maximum, above or below it', async () => {
  for (const capacity of [40_000, 140_000]) {
    const found = await searchSustainableRate(upTo(capacity), { ...SEARCH, expected: 95_000 })
    expect(found).toBeLessThanOrEqual(capacity)
    expect(found).toBeGreaterThan(capacity / 1.05)
  }
  // Never above the search's top step, as without an expected rate.
  expect(await searchSustainableRate(upTo(1e9), { ...SEARCH, expected: 140_000 })).toBe(150_000)
})

test('from an expected rate that fails at once, it steps down by 1.3x instead of halving', async () => {
  const offered: number[] = []
  const found = await searchSustainableRate(upTo(70_000, offered), { ...SEARCH, expected: 95_000 })
  expect(offered.slice(0, 3)).toEqual([85_500, 85_500, Math.round(85_500 / 1.15 ** 2)])
  expect(found).toBeGreaterThan(70_000 / 1.05)
})
