import { measureCalibration } from '../harness/calibration-workload.ts'
import type { Baseline } from '../model/results.ts'
import type { RunDescription } from '../model/run-description.ts'
import { baselinePath, loadBaseline } from './baseline-file.ts'
import { fingerprint } from './environment.ts'
import { testbedReferences } from './history.ts'
import { compareTestbeds } from './testbed.ts'

/**
 * Before a run, for its description: per suite whose committed baseline is another testbed's, this testbed's
 * own recent runs as its reference. The reporter then judges without starting a database. A history that
 * cannot be read gives no reference, and a note that says so.
 */
export async function referencesBeforeRun(
  suites: string[],
  baselinesDir: string,
  profile: RunDescription['profile'],
): Promise<Pick<RunDescription, 'references' | 'notes'>> {
  const environment = { ...fingerprint(profile.name, profile.reason), calibration: measureCalibration() }
  const elsewhere: string[] = []
  for (const suite of suites) {
    // An unreadable baseline is the reporter's to report, with the run's other errors.
    const committed: Baseline | undefined = await loadBaseline(baselinePath(baselinesDir, suite, profile.name)).catch(() => undefined)
    if (committed && !compareTestbeds(environment, committed.environment).same) elsewhere.push(suite)
  }
  try {
    return { references: Object.fromEntries(await testbedReferences(environment, elsewhere)), notes: [] }
  } catch (error) {
    return { references: {}, notes: [`history: this testbed's recent runs could not be read (${(error as Error).message.slice(0, 200)})`] }
  }
}
