import { describe, expect, test } from 'vitest'
import type { RunPair } from './paired.ts'
import { firstSideOf, suitesToConfirm } from './paired.ts'
import { runGate } from './paired-gate.ts'
import { syntheticMetric, syntheticResults, syntheticSuite } from './synthetic-results.ts'

// The gate's bookkeeping on synthetic runs (never measurements): which order slot each measured pair gets.

describe('runGate', () => {
  test('a pair that replaces one measured in a slow spell takes its slot, so the kept pairs stay balanced in order', async () => {
    // The calibration of pair 2 ran at 0.6x: it is replaced.
    const speeds = [100, 60, 100, 100, 100, 100, 100]
    const slots: number[] = []
    const measure = async (_suites: string[] | undefined, slot: number): Promise<RunPair> => {
      const opsPerSecond = speeds[slots.length] ?? 100
      slots.push(slot)
      const side = () =>
        syntheticResults({ suites: [syntheticSuite([], { suite: 'processor', calibration: { opsPerSecond, version: 1 } })] })
      return { base: side(), head: side(), firstSide: { processor: firstSideOf(slot, 0) } }
    }
    const judged = await runGate(measure, { pairs: 6, confirmPairs: 0 }, { ref: 'base', commit: '0' })
    expect(slots).toEqual([1, 2, 2, 3, 4, 5, 6])
    expect(judged.against).toMatchObject({ pairs: 6, replaced: 1 })
    const kept = slots.filter((_, i) => i !== 1).map((slot) => firstSideOf(slot, 0))
    expect(kept.filter((side) => side === 'base')).toHaveLength(3)
  })

  /** Pairs whose head throughput differs from the base's by these log ratios, in turn; the suites each pair ran. */
  const pairsOf =
    (logRatios: number[], ran: (string[] | undefined)[]) =>
    async (suites: string[] | undefined): Promise<RunPair> => {
      const r = logRatios[ran.length] ?? 0
      ran.push(suites)
      const side = (value: number) =>
        syntheticResults({
          suites: [syntheticSuite([syntheticMetric({ value, verdict: 'unchanged', noise: null })], { suite: 'pipeline' })],
        })
      return { base: side(10_000), head: side(10_000 * Math.exp(r)) }
    }
  // Six pairs that look 4% worse, with a spread that leaves it unproven (p < 0.1 unadjusted): suspicious.
  const suspicious = [-0.09, 0, -0.08, 0, -0.06, -0.04]
  const plan = { pairs: 6, confirmPairs: 16 }

  test('a suspicion that fades by halfway to the confirmation pairs stops the gate there, green', async () => {
    const first = await runGate(pairsOf(suspicious, []), { pairs: 6, confirmPairs: 0 }, { ref: 'base', commit: '0' })
    expect(suitesToConfirm(first)).toEqual(['pipeline'])
    const ran: (string[] | undefined)[] = []
    const judged = await runGate(pairsOf([...suspicious, 0.03, 0.02, 0.04, 0.03, 0.02], ran), plan, { ref: 'base', commit: '0' })
    expect(ran).toHaveLength(11)
    expect(ran.slice(6)).toEqual(Array(5).fill(['pipeline']))
    expect(judged.summary.regressed).toBe(0)
    expect(judged.against).toMatchObject({ pairs: 11, confirmed: ['pipeline'] })
  })

  test('a change that lasts gets every confirmation pair and is proven at the last look', async () => {
    const ran: (string[] | undefined)[] = []
    const lasting = [...suspicious, ...Array.from({ length: 10 }, (_, i) => -0.04 + (i % 2 ? 0.01 : -0.01))]
    const judged = await runGate(pairsOf(lasting, ran), plan, { ref: 'base', commit: '0' })
    expect(ran).toHaveLength(16)
    expect(judged.summary.regressed).toBe(1)
    expect(judged.against).toMatchObject({ pairs: 16 })
  })
})
