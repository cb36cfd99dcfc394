import { join } from 'node:path'
import { baselinePath, loadBaseline } from '../reporters/baseline-file.ts'
import { readRunDescription } from '../reporters/run-description.ts'

const COMMITTED = join(import.meta.dirname, '..', 'baselines')

/**
 * A figure of this profile's baseline, for a suite that can start nearer its answer (the capacity search):
 * from the folder the run is judged against (`pnpm bench` names it; BENCH_BASELINES_DIR), else the committed
 * one. Undefined when there is no baseline, no such metric, or the file is bad: the reporter says what is
 * wrong with a bad baseline; here it only means starting from the bottom.
 */
export async function baselineValue(profile: string, suite: string, key: string): Promise<number | undefined> {
  const dir = readRunDescription()?.baselinesDir ?? COMMITTED
  const baseline = await loadBaseline(baselinePath(dir, suite, profile)).catch(() => undefined)
  return baseline?.metrics[key]?.value
}
