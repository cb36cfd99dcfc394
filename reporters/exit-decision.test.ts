import { describe, expect, test } from 'vitest'
import type { SuiteResult } from '../model/results.ts'
import { decideExit, type ExitPolicy } from './exit-decision.ts'
import { syntheticMetric, syntheticResults, syntheticSuite } from './synthetic-results.ts'
import { summarize } from './verdict.ts'

// The exit policy over synthetic results: wiring of verdicts to exit codes, no measurement.
const LOCAL: ExitPolicy = { ci: false, failOnRegression: false, allowSkipped: [] }
const CI: ExitPolicy = { ...LOCAL, ci: true }
const results = (...suites: SuiteResult[]) => syntheticResults({ suites, summary: summarize(suites) })
const clean = syntheticSuite([syntheticMetric({ verdict: 'unchanged' })])
const regressed = syntheticSuite([syntheticMetric({ verdict: 'regressed' })])
const skipped = syntheticSuite([], { suite: 'operator', status: 'skipped', reason: 'no control plane' })

describe('decideExit', () => {
  test.each([
    { name: 'a clean run', run: results(clean), policy: CI, code: 0 },
    { name: 'a regression outside CI', run: results(regressed), policy: LOCAL, code: 0 },
    { name: 'a regression under CI', run: results(regressed), policy: CI, code: 1 },
    { name: 'a regression with --fail-on-regression', run: results(regressed), policy: { ...LOCAL, failOnRegression: true }, code: 1 },
    { name: 'a skipped suite outside CI', run: results(clean, skipped), policy: LOCAL, code: 0 },
    { name: 'a skipped suite under CI', run: results(clean, skipped), policy: CI, code: 1 },
    { name: 'an allowed skipped suite under CI', run: results(clean, skipped), policy: { ...CI, allowSkipped: ['operator'] }, code: 0 },
    { name: 'a failed suite', run: results(syntheticSuite([], { status: 'failed', reason: 'boom' })), policy: LOCAL, code: 1 },
    { name: 'an invalid baseline', run: { ...results(clean), errors: ['bad.json is not valid'] }, policy: LOCAL, code: 1 },
  ])('$name exits $code', ({ run, policy, code }) => {
    expect(decideExit(run, 0, policy).code).toBe(code)
  })

  test("vitest's own failure is passed on", () => {
    expect(decideExit(results(clean), 3, LOCAL).code).toBe(3)
  })

  test('the lines name the suite that measured nothing and the flag that allows it', () => {
    const { lines } = decideExit(results(clean, skipped), 0, CI)
    expect(lines).toEqual([
      'bench: suite operator measured nothing: no control plane',
      'bench: failing: under CI a suite that measured nothing is not a pass. Make it run here, or name it if this job is not meant to run it: --allow-skipped operator',
    ])
  })

  test('an allowed skip is still said; a regression under CI is listed by metric', () => {
    expect(decideExit(results(clean, skipped), 0, { ...CI, allowSkipped: ['operator'] }).lines).toEqual([
      'bench: suite operator measured nothing (allowed by --allow-skipped): no control plane',
    ])
    expect(decideExit(results(regressed), 0, CI).lines.slice(0, 2)).toEqual([
      'bench: 1 regressed, failing:',
      '  - pipeline › t › throughput',
    ])
  })

  test('a single run that regressed names the paired run that gives the answer to trust; a paired run does not', () => {
    const single = decideExit(results(regressed), 0, LOCAL).lines
    expect(single.at(-1)).toContain('measure both trees side by side: pnpm bench pipeline --against REF')
    const paired = decideExit({ ...results(regressed), mode: 'paired' }, 0, LOCAL).lines
    expect(paired.some((l) => l.includes('--against'))).toBe(false)
  })
})
