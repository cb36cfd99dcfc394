import { describe, expect, test } from 'vitest'
import { minimumPairs, pairedChange } from './paired-change.ts'

// Hand-checkable cases of the signed-rank procedure; the simulation test checks its error rates.
const base = [100, 101, 99, 100, 102, 98, 100, 101, 99, 100]

describe('pairedChange', () => {
  test('a uniform 10% slowdown of a throughput is a significant worsening of about -10%', () => {
    const result = pairedChange(
      base,
      base.map((b) => b * 0.9),
      'higher',
    )
    expect(result.change).toBeCloseTo(-0.1, 6)
    expect(result.interval?.[1]).toBeLessThan(0)
    expect(result).toMatchObject({ pairs: 10, significantlyWorse: true, significantlyBetter: false })
  })

  test('for a latency, going up is the worse side', () => {
    const result = pairedChange(
      base,
      base.map((b) => b * 1.1),
      'lower',
    )
    expect(result).toMatchObject({ significantlyWorse: true, significantlyBetter: false })
  })

  test('mixed signs are not significant', () => {
    const head = base.map((b, i) => b * (i % 2 === 0 ? 1.03 : 0.97))
    const result = pairedChange(base, head, 'higher')
    expect(result.significantlyWorse || result.significantlyBetter).toBe(false)
    expect(result.interval?.[0]).toBeLessThan(0)
    expect(result.interval?.[1]).toBeGreaterThan(0)
  })

  test('one wild pair does not move the estimate, unlike a mean', () => {
    const head = base.map((b, i) => (i === 3 ? b * 3 : b * 0.95))
    expect(pairedChange(base, head, 'higher').change).toBeCloseTo(-0.05, 6)
  })

  test('below the minimum number of pairs there is no interval and no verdict', () => {
    expect(minimumPairs()).toBe(7)
    const result = pairedChange(
      base.slice(0, 6),
      base.slice(0, 6).map((b) => b * 0.5),
      'higher',
    )
    expect(result).toMatchObject({ interval: null, significantlyWorse: false })
  })

  test('unequal lengths are a caller bug', () => {
    expect(() => pairedChange([1, 2], [1], 'higher')).toThrow('paired samples differ in length: 2 base vs 1 head')
  })
})
