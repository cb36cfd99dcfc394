import { join } from 'node:path'
import { baselinePath, loadBaseline } from '../reporters/baseline-file.ts'

const BASELINES = join(import.meta.dirname, '..', 'baselines')

/**
 * A figure of this profile's committed baseline, for a suite that can start nearer its answer (the capacity
 * search). Undefined when there is no baseline, no such metric, or the file is bad: the reporter says what
 * is wrong with a bad baseline; here it only means starting from the bottom.
 */
export async function baselineValue(profile: string, suite: string, key: string): Promise<number | undefined> {
  const baseline = await loadBaseline(baselinePath(BASELINES, suite, profile)).catch(() => undefined)
  return baseline?.metrics[key]?.value
}
