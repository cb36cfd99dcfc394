import { describe, expect, test } from 'vitest'
import type { RunPair } from './paired.ts'
import { firstSideOf } from './paired.ts'
import { runGate } from './paired-gate.ts'
import { syntheticResults, syntheticSuite } from './synthetic-results.ts'

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
})
