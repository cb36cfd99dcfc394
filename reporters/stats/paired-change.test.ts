import { describe, expect, test } from 'vitest'
import { type FirstSide, pairedChange } from './paired-change.ts'

// Hand-checkable cases of the trimmed paired t-test; the simulation tests check its error rates.
const base = [100, 101, 99, 100, 102, 98, 100, 101, 99, 100]
const wobble = [1.01, 0.99, 1.005, 0.995, 1.0, 1.01, 0.99, 1.0, 1.005, 0.995]

describe('pairedChange', () => {
  test('a uniform 10% slowdown of a throughput is a significant worsening of about -10%', () => {
    const result = pairedChange(
      base,
      base.map((b, i) => b * 0.9 * (wobble[i] as number)),
      'higher',
    )
    expect(result.change).toBeCloseTo(-0.1, 2)
    expect(result.interval?.[1]).toBeLessThan(0)
    expect(result.pairs).toBe(10)
    expect(result.pWorse).toBeLessThan(1e-6)
    expect(result.pBetter).toBeGreaterThan(0.99)
  })

  test('for a latency, going up is the worse side', () => {
    const result = pairedChange(
      base,
      base.map((b, i) => b * 1.1 * (wobble[i] as number)),
      'lower',
    )
    expect(result.pWorse).toBeLessThan(1e-6)
  })

  test('mixed signs are not significant', () => {
    const head = base.map((b, i) => b * (i % 2 === 0 ? 1.03 : 0.97))
    const result = pairedChange(base, head, 'higher')
    expect(Math.min(result.pWorse, result.pBetter)).toBeGreaterThan(0.3)
    expect(result.interval?.[0]).toBeLessThan(0)
    expect(result.interval?.[1]).toBeGreaterThan(0)
  })

  test('one wild pair is trimmed: it neither carries nor hides the verdict', () => {
    const head = base.map((b, i) => (i === 3 ? b * 3 : b * 0.95 * (wobble[i] as number)))
    const result = pairedChange(base, head, 'higher')
    expect(result.change).toBeCloseTo(-0.05, 2)
    expect(result.pWorse).toBeLessThan(1e-4)
  })

  test("the baseline's noise lets three pairs decide what three pairs alone cannot", () => {
    const head = [0.95 * 100, 0.94 * 101, 0.955 * 99]
    const alone = pairedChange(base.slice(0, 3), head, 'higher')
    const withPrior = pairedChange(base.slice(0, 3), head, 'higher', { noise: 0.005, runs: 20 })
    expect(withPrior.pWorse).toBeLessThan(alone.pWorse / 100)
    expect(withPrior.pWorse).toBeLessThan(1e-4)
  })

  test("pairNoise is the pairs' own spread before the prior: one pair's log-ratio sd, unmoved by the prior", () => {
    // 4 pairs: nothing trimmed, so it is the plain sd of the log ratios.
    const ratios = [0.01, 0.03, -0.01, 0.01]
    const base4 = [100, 100, 100, 100]
    const head4 = ratios.map((r) => 100 * Math.exp(r))
    const sd = Math.sqrt(ratios.reduce((sum, r) => sum + (r - 0.01) ** 2, 0) / 3)
    expect(pairedChange(base4, head4, 'higher').pairNoise).toBeCloseTo(sd, 10)
    expect(pairedChange(base4, head4, 'higher', { noise: 0.2, runs: 5 }).pairNoise).toBeCloseTo(sd, 10)
    expect(pairedChange([100], [101], 'higher').pairNoise).toBeNull()
  })

  test("a baseline's noise far above what 16 pairs show is set aside: a 5% change they measured is proven", () => {
    const base16 = Array.from({ length: 16 }, (_, i) => 100 + (i % 3))
    const head16 = base16.map((b, i) => b * 0.95 * (1 + (i % 2 === 0 ? 0.01 : -0.01)))
    // A baseline recorded across a drifting session: 7% between its 5 runs, against ~1% within the pairs.
    const drifted = pairedChange(base16, head16, 'higher', { noise: 0.07, runs: 5 })
    expect(drifted.pWorse).toBeLessThan(1e-8)
    // A prior the pairs do not contradict still pools: 1.5% beside their ~1.4% moves the p-value little.
    const agreeing = pairedChange(base16, head16, 'higher', { noise: 0.015, runs: 5 })
    expect(agreeing.pWorse).toBeLessThan(1e-8)
    // Three pairs are too few to contradict it: there the 7% still weighs.
    const three = pairedChange(base16.slice(0, 3), head16.slice(0, 3), 'higher', { noise: 0.07, runs: 5 })
    expect(three.pWorse).toBeGreaterThan(1e-3)
  })

  test('a prior that claims less noise than the pairs show is outweighed by them', () => {
    const head = base.map((b, i) => b * (i % 2 === 0 ? 1.06 : 0.96))
    const result = pairedChange(base, head, 'higher', { noise: 0.0001, runs: 5 })
    expect(Math.min(result.pWorse, result.pBetter)).toBeGreaterThan(0.01)
  })

  test('the effect of running first is estimated away when the order of each pair is known', () => {
    // Alternating orders; whichever side runs first serves 15% more (seen on the API suite here).
    const firstSides = base.map((_, i): FirstSide => (i % 2 === 0 ? 'base' : 'head'))
    const head = base.map((b, i) => b * 0.95 * (firstSides[i] === 'head' ? 1.15 : 1 / 1.15) * (wobble[i] as number))
    const blind = pairedChange(base, head, 'higher')
    const crossover = pairedChange(base, head, 'higher', undefined, 0, firstSides)
    expect(blind.pWorse).toBeGreaterThan(0.05)
    expect(crossover.change).toBeCloseTo(-0.05, 2)
    expect(crossover.pWorse).toBeLessThan(1e-4)
    // Orders unequally many (a pair replaced): the blind mean is pulled by the effect, the crossover is not.
    const lopsided = base.map((_, i): FirstSide => (i < 6 ? 'base' : 'head'))
    const uneven = base.map((b, i) => b * 0.95 * (lopsided[i] === 'head' ? 1.15 : 1 / 1.15) * (wobble[i] as number))
    expect(pairedChange(base, uneven, 'higher').change).toBeLessThan(-0.07)
    expect(pairedChange(base, uneven, 'higher', undefined, 0, lopsided).change).toBeCloseTo(-0.05, 2)
    // Fewer than 4 pairs in an order: judged as one group.
    const few = base.slice(0, 4).map((_, i): FirstSide => (i % 2 === 0 ? 'base' : 'head'))
    expect(pairedChange(base.slice(0, 4), head.slice(0, 4), 'higher', undefined, 0, few)).toEqual(
      pairedChange(base.slice(0, 4), head.slice(0, 4), 'higher'),
    )
  })

  test('one pair in a slow spell among eight, orders alternating, is trimmed however the orders fall', () => {
    // A 10% loss with the effect of running first (6%); pair 4's base ran at 0.6x. Trimming within each
    // order's pairs could trim nothing, and such a pair took the change to -2% (p 0.4).
    const eight = base.slice(0, 8)
    const firstSides = eight.map((_, i): FirstSide => (i % 2 === 0 ? 'base' : 'head'))
    const order = (i: number) => (firstSides[i] === 'head' ? 1.06 : 1 / 1.06)
    const spelledBase = eight.map((b, i) => (i === 3 ? b * 0.6 : b))
    const head = eight.map((b, i) => b * 0.9 * order(i) * (wobble[i] as number))
    const result = pairedChange(spelledBase, head, 'higher', { noise: 0.02, runs: 5 }, 0, firstSides)
    expect(result.change).toBeCloseTo(-0.1, 1)
    expect(result.pWorse).toBeLessThan(1e-3)
  })

  test('a count that is mostly 0 is not adjusted for the order: two bursts in one order stay noise', () => {
    const six = [0, 0, 0, 0, 0, 0]
    const firstSides = six.map((_, i): FirstSide => (i % 2 === 0 ? 'base' : 'head'))
    // Head ran first in pairs 1, 3 and 5; two of them burst.
    const head = [0, 400, 0, 250, 0, 0]
    expect(pairedChange(six, head, 'lower', { noise: 0, runs: 5 }, 0, firstSides).pWorse).toBeGreaterThan(0.01)
  })

  test('a stepped figure that moved by less than its steps in a few pairs is noise, not a change', () => {
    const head = base.map((b, i) => (i < 3 ? b * 0.95 : b))
    const stepped = pairedChange(base, head, 'higher', { noise: 0, runs: 5 }, 0.05)
    expect(stepped.pWorse).toBeGreaterThan(0.01)
  })

  test('counts that are 0 on both sides compare as unchanged, and a rise from 0 is worse', () => {
    const zeros = base.map(() => 0)
    expect(pairedChange(zeros, zeros, 'lower')).toMatchObject({ change: 0, pWorse: 1, pBetter: 1 })
    expect(
      pairedChange(
        zeros,
        zeros.map(() => 50),
        'lower',
      ).pWorse,
    ).toBe(0)
  })

  test('unequal lengths are a caller bug', () => {
    expect(() => pairedChange([1, 2], [1], 'higher')).toThrow('paired samples differ in length: 2 base vs 1 head')
  })
})
