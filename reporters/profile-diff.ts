import type { CpuProfileRecord, GrownFunctions } from '../model/metric.ts'

/** Functions named per app and scenario: the PR comment names the top three. */
export const GROWN_SHOWN = 3

/**
 * A differential profile: per app and scenario profiled on both sides, the functions whose share of the
 * app's busy samples grew most from base to head (a function absent from a side's top list counts 0 there).
 * Shares rather than sample counts, so that a run that happened to be longer or busier moves nothing.
 */
export function grownFunctions(base: CpuProfileRecord[], head: CpuProfileRecord[]): GrownFunctions[] {
  return head.flatMap((h) => {
    const b = base.find((p) => p.test === h.test && p.app === h.app)
    if (!b) return []
    const key = (f: { function: string; location: string }) => `${f.function} ${f.location}`
    const baseShares = new Map(b.top.map((f) => [key(f), f.selfShare]))
    const functions = h.top
      .map((f) => ({ function: f.function, location: f.location, baseShare: baseShares.get(key(f)) ?? 0, headShare: f.selfShare }))
      .filter((f) => f.headShare > f.baseShare)
      .sort((x, y) => y.headShare - y.baseShare - (x.headShare - x.baseShare))
      .slice(0, GROWN_SHOWN)
    return functions.length > 0 ? [{ test: h.test, app: h.app, functions }] : []
  })
}

const points = (share: number) => `${(share * 100).toFixed(1)}%`

/** One line per app and scenario: `processor in <test>: fn (file:line) 2.0% → 9.5%, ...`. */
export const grownLines = (grown: GrownFunctions[]) =>
  grown.map(
    (g) =>
      `${g.app} in ${g.test}: ${g.functions
        .map((f) => `${f.function}${f.location ? ` (${f.location})` : ''} ${points(f.baseShare)} → ${points(f.headShare)}`)
        .join('; ')}`,
  )
