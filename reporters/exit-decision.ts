import type { RunResults } from '../model/results.ts'

export interface ExitPolicy {
  /** CI=true: a regression fails, and so does a suite that measured nothing unless it is allowed. */
  ci: boolean
  /** --fail-on-regression outside CI. */
  failOnRegression: boolean
  /** --allow-skipped: the suites this run is not meant to measure (e.g. operator on the local profile). */
  allowSkipped: string[]
}

export interface ExitDecision {
  code: number
  /** What to print, one line each: why it failed, or what it did not fail on. */
  lines: string[]
}

/**
 * `pnpm bench`'s exit code from the judged run, as a pure function. In order: results that cannot be
 * trusted (a malformed baseline, vitest's own failure, a failed suite) fail always; under CI a suite that
 * measured nothing fails unless the workflow allows it by name, because a skipped suite is not a pass;
 * a regression fails under CI or with --fail-on-regression, and is listed otherwise.
 */
export function decideExit(results: RunResults, vitestCode: number, policy: ExitPolicy): ExitDecision {
  if (results.errors.length > 0) {
    return { code: 1, lines: [`bench: ${results.errors.length} error(s) make these verdicts unusable; fix them first.`] }
  }
  const failed = results.suites.filter((s) => s.status === 'failed')
  if (vitestCode !== 0 || failed.length > 0) {
    return {
      code: vitestCode || 1,
      lines: failed.map((s) => `bench: suite ${s.suite} failed: ${s.reason ?? 'see its output above'}`),
    }
  }
  const lines: string[] = []
  const skipped = results.suites.filter((s) => s.status === 'skipped')
  const unallowed = skipped.filter((s) => !policy.allowSkipped.includes(s.suite))
  for (const s of skipped) {
    const allowed = policy.allowSkipped.includes(s.suite)
    lines.push(`bench: suite ${s.suite} measured nothing${allowed ? ' (allowed by --allow-skipped)' : ''}: ${s.reason ?? 'skipped'}`)
  }
  if (policy.ci && unallowed.length > 0) {
    const names = unallowed.map((s) => s.suite).join(',')
    lines.push(
      `bench: failing: under CI a suite that measured nothing is not a pass. Make it run here, or name it if this job is not meant to run it: --allow-skipped ${names}`,
    )
    return { code: 1, lines }
  }
  const regressedSuites = results.suites.filter((s) => s.metrics.some((m) => m.verdict === 'regressed'))
  const regressed = regressedSuites.flatMap((s) => s.metrics.filter((m) => m.verdict === 'regressed').map((m) => `${s.suite} › ${m.key}`))
  if (regressed.length > 0) {
    const fail = policy.ci || policy.failOnRegression
    const verb = fail ? 'failing' : 'not failing (set CI=true or --fail-on-regression to fail)'
    lines.push(`bench: ${regressed.length} regressed, ${verb}:`, ...regressed.map((r) => `  - ${r}`))
    if (results.mode !== 'paired') lines.push(sideBySide(regressedSuites.map((s) => s.suite)))
    if (fail) return { code: 1, lines }
  }
  return { code: 0, lines }
}

/**
 * A single run is judged against figures measured at another time, and the machine's speed drifts between
 * them in ways the calibration does not see: here an unchanged tree's PostgreSQL COPY ceiling fell 31%
 * within an hour while the calibration moved 8%, and its own history called it regressed. Paired mode
 * measures both trees minutes apart and is the answer to trust.
 */
function sideBySide(suites: string[]): string {
  return (
    "bench: these are judged against runs from another time, and a machine's speed drifts between runs. To know whether " +
    `the code changed, measure both trees side by side: pnpm bench ${suites.join(' ')} --against REF (the commit to compare with)`
  )
}
