import type { RunResults } from '../model/results.ts'
import { judgePaired, keptPairs, needsAnotherPair, type RunPair, slowSpellPairs, suitesToConfirm } from './paired.ts'
import { FAMILY_ALPHA } from './stats/family.ts'

export interface GatePlan {
  /** Pairs of every suite. */
  pairs: number
  /** Pairs a suite holding a suspicious metric is taken to; no confirmation when not above `pairs`. */
  confirmPairs: number
}

/**
 * Measures one pair: every suite, or only the named ones (a confirmation). `slot` is the pair's place among
 * the pairs kept so far, and sets which side runs first (firstSideOf): a pair that replaces one measured in
 * a slow spell takes its slot, so the kept pairs stay balanced between the two orders. Unbalanced (4 and 2
 * after half of all replacements), the effect of running first cannot be estimated, and with trimming it
 * went straight into the change: 1.6% of simulated unchanged runs red, on the API suite's runs list.
 */
export type MeasurePair = (suites: string[] | undefined, slot: number) => Promise<RunPair>

/**
 * The paired gate, in stages. First `pairs` pairs of every suite (pairs in a slow spell replaced). Then,
 * when a metric looks suspicious but is not proven (suitesToConfirm), only the suites holding one run more
 * pairs, and the whole run is judged again over all of them: first up to halfway to `confirmPairs`, where
 * the gate stops green if nothing is suspicious any more, then the suites still suspicious up to
 * `confirmPairs`. Most unchanged pull requests end after the first stage, and most of the rest at the
 * halfway look (a suspicion raised by chance in 6 pairs seldom lasts 11); a noisy p99 that rose gets the
 * pairs it needs. `pnpm bench --against` and the gate simulation both run this.
 */
export async function runGate(measure: MeasurePair, plan: GatePlan, ref: { ref: string; commit: string }): Promise<RunResults> {
  // Looking twice at the data would spend the false-alarm budget twice: each look that may go red gets half
  // of it, so the gate as a whole keeps FAMILY_ALPHA (a union bound; measured without the split: 1.3% on one
  // metric). The halfway look only stops green (it never goes red), so it spends none.
  const alpha = plan.confirmPairs > plan.pairs ? FAMILY_ALPHA / 2 : FAMILY_ALPHA
  const done: RunPair[] = []
  const slot = (pairs: RunPair[], before = 0) => before + pairs.length - slowSpellPairs(pairs).length + 1
  while (needsAnotherPair(done, plan.pairs)) done.push(await measure(undefined, slot(done)))
  const first = judge([{ done, wanted: plan.pairs }], ref, [], alpha)
  const promise = { finalPairs: plan.confirmPairs, alpha }
  const confirm = plan.confirmPairs > plan.pairs ? suitesToConfirm(first, promise) : []
  if (confirm.length === 0) return first
  const halfway = Math.ceil((plan.confirmPairs - plan.pairs) / 2)
  const stages = [{ done, wanted: plan.pairs }]
  const confirmStage = async (suites: string[], wanted: number) => {
    const extra: RunPair[] = []
    const before = stages.reduce((n, s) => n + s.wanted, 0)
    while (needsAnotherPair(extra, wanted)) extra.push(await measure(suites, slot(extra, before)))
    stages.push({ done: extra, wanted })
    return judge(stages, ref, confirm, alpha)
  }
  const atHalfway = await confirmStage(confirm, halfway)
  // Still open: a suite with a metric still suspicious, or regressed at this look, which may not go red.
  const open = [...new Set([...suitesToConfirm(atHalfway, promise), ...regressedSuites(atHalfway)])]
  if (open.length === 0) return atHalfway
  return confirmStage(open, plan.confirmPairs - plan.pairs - halfway)
}

const regressedSuites = (results: RunResults) =>
  results.suites.filter((s) => s.metrics.some((m) => m.verdict === 'regressed')).map((s) => s.suite)

/** Judges the pairs each stage keeps (slow spells are told apart within a stage, which ran the same suites). */
function judge(stages: { done: RunPair[]; wanted: number }[], ref: { ref: string; commit: string }, confirmed: string[], alpha: number) {
  const perStage = stages.map(({ done, wanted }) => ({ kept: keptPairs(done, wanted), clean: done.length - slowSpellPairs(done).length }))
  const kept = perStage.flatMap((s) => s.kept)
  const measured = stages.reduce((n, { done }) => n + done.length, 0)
  const slowKept = perStage.reduce((n, s) => n + s.kept.length - s.clean, 0)
  const against = {
    ...ref,
    pairs: kept.length,
    replaced: measured - kept.length,
    ...(slowKept ? { slowKept } : {}),
    ...(confirmed.length ? { confirmed } : {}),
  }
  return judgePaired(kept, against, alpha)
}
