import { readdirSync, readFileSync } from 'node:fs'
import { join } from 'node:path'
import type { RunResults } from '../model/results.ts'
import { mergeRuns, type RunPair } from '../reporters/paired.ts'

/** Wall time of starting vitest before a run's own clock starts (the processor suite here: 9.9 s vs 5.9 s). */
const VITEST_START_SECONDS = 4

/**
 * The pairs a paired run stored (results/paired-<time>/, one file per side, pair and suite), in the order
 * measured; a pair holds what both sides ran of each suite, and the seconds each suite's two runs took
 * (each run's own span plus VITEST_START_SECONDS, what starting vitest takes here).
 */
export function storedPairs(dir: string): (RunPair & { seconds: Map<string, number> })[] {
  const byPair = new Map<number, { base: RunResults[]; head: RunResults[] }>()
  for (const file of readdirSync(dir).sort()) {
    const match = /^(base|head)-(\d+)-(.+)\.json$/.exec(file)
    if (!match) continue
    const [, side, number] = match as unknown as [string, 'base' | 'head', string]
    const entry = byPair.get(Number(number)) ?? { base: [], head: [] }
    entry[side].push(JSON.parse(readFileSync(join(dir, file), 'utf8')) as RunResults)
    byPair.set(Number(number), entry)
  }
  return [...byPair]
    .sort(([a], [b]) => a - b)
    .filter(([, sides]) => sides.base.length > 0 && sides.head.length > 0)
    .map(([, sides]) => {
      const seconds = new Map<string, number>()
      const firstSide: Record<string, 'base' | 'head'> = {}
      for (const b of sides.base) {
        const h = sides.head.find((run) => run.suites[0]?.suite === b.suites[0]?.suite)
        if (b.suites[0] && h) firstSide[b.suites[0].suite] = b.startedAt < h.startedAt ? 'base' : 'head'
      }
      for (const run of [...sides.base, ...sides.head]) {
        const span = (Date.parse(run.finishedAt) - Date.parse(run.startedAt)) / 1000 + VITEST_START_SECONDS
        for (const s of run.suites) seconds.set(s.suite, (seconds.get(s.suite) ?? 0) + span)
      }
      return { base: mergeRuns(sides.base), head: mergeRuns(sides.head), firstSide, seconds }
    })
}
