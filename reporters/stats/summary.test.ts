import { expect, test } from 'vitest'
import { summarizeSamples } from './summary.ts'

// Hand-checkable cases; the interval's coverage follows from the binomial distribution.
test('summarises a sample', () => {
  const s = summarizeSamples([5, 1, 4, 2, 3])
  expect(s).toMatchObject({ n: 5, mean: 3, median: 3, min: 1, max: 5 })
  expect(s.sd).toBeCloseTo(1.5811, 4)
})

test('the median interval at 95% is (x1, x6) for 6 samples and (x2, x8) for 9', () => {
  // P(all 6 on one side) = 2/64 = 3.1% -> coverage 96.9%; for 9: P(<= 1 below) x 2 = 20/512 = 3.9%.
  expect(summarizeSamples([1, 2, 3, 4, 5, 6]).medianInterval).toEqual([1, 6])
  expect(summarizeSamples([1, 2, 3, 4, 5, 6, 7, 8, 9]).medianInterval).toEqual([2, 8])
})

test('below 6 samples no interval reaches 95%', () => {
  expect(summarizeSamples([1, 2, 3, 4, 5]).medianInterval).toBeNull()
})

test('few samples are kept as they are, many only summarised', () => {
  expect(summarizeSamples([3, 1, 2]).samples).toEqual([3, 1, 2])
  expect(summarizeSamples(Array.from({ length: 100 }, (_, i) => i)).samples).toBeUndefined()
})
