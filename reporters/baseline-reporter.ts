import { join } from 'node:path'
import type { Reporter, TestCase, TestModule, Vitest } from 'vitest/node'
import { measureCalibration } from '../harness/calibration-workload.ts'
import { PROFILE_ENV } from '../harness/profile.ts'
import { DEFAULT_PROFILE } from '../harness/profiles.ts'
import type { Baseline, RunResults, SuiteResult, TestbedComparison } from '../model/results.ts'
import type { RunDescription } from '../model/run-description.ts'
import { baselinePath, loadBaseline } from './baseline-file.ts'
import { collectSuite, suiteName } from './collect.ts'
import { environmentNotes, fingerprint } from './environment.ts'
import { SLOW_SPELL_FRACTION } from './paired.ts'
import { readRunDescription } from './run-description.ts'
import { compareTestbeds } from './testbed.ts'
import { gateExplaining, judgeSuite, speedRatio, summarize } from './verdict.ts'
import { renderRun, resultsFileFor, writeResultsOnly } from './write-results.ts'

/**
 * Judges benchmark suites against baselines/<suite>.json. It only acts on the benchmark project's files,
 * so it can stay registered for every run. It decides nothing until the run ends: then it judges and writes
 * the results file the run description names. It provisions nothing: `pnpm bench` chose the references
 * before and records history after. Started by vitest directly (no description), it also prints the
 * verdict table and writes the Markdown and HTML beside the JSON, without history.
 */
export default class BaselineReporter implements Reporter {
  #root = process.cwd()
  #startedAt = new Date()
  #run = standaloneRun(this.#root, this.#startedAt)
  #standalone = true

  onInit(vitest: Vitest): void {
    this.#root = vitest.config.root
    this.#startedAt = new Date()
    const given = readRunDescription()
    this.#standalone = given === undefined
    this.#run = given ?? standaloneRun(this.#root, this.#startedAt)
  }

  // Progress, so a long run is never silent: which suite and scenario, and the time since the start.
  onTestCaseReady(testCase: TestCase): void {
    if (!testCase.project.config.benchmark?.enabled || !this.#run.progress) return
    console.log(`bench [${this.#elapsed()}] ${suiteName(testCase.module.moduleId)} › ${testCase.fullName}: running`)
  }

  onTestCaseResult(testCase: TestCase): void {
    if (!testCase.project.config.benchmark?.enabled || !this.#run.progress) return
    const { state } = testCase.result()
    const took = ((testCase.diagnostic()?.duration ?? 0) / 1000).toFixed(1)
    console.log(`bench [${this.#elapsed()}] ${suiteName(testCase.module.moduleId)} › ${testCase.fullName}: ${state} in ${took} s`)
  }

  #elapsed(): string {
    const s = Math.round((Date.now() - this.#startedAt.getTime()) / 1000)
    return `${Math.floor(s / 60)}:${String(s % 60).padStart(2, '0')}`
  }

  async onTestRunEnd(testModules: ReadonlyArray<TestModule>): Promise<void> {
    const benchModules = testModules.filter((m) => m.project.config.benchmark?.enabled)
    if (benchModules.length === 0) return
    const measured = benchModules.map((m) => collectSuite(m, this.#root))
    const run = this.#run
    const environment = {
      ...fingerprint(run.profile.name, run.profile.reason, Object.assign({}, ...measured.map((m) => m.facts ?? {}))),
      calibration: measureCalibration(),
    }
    const errors: string[] = []

    const suites: SuiteResult[] = []
    const notes = new Set<string>(run.notes)
    const testbeds: TestbedComparison[] = []
    const committed = new Map<string, Baseline | undefined>()
    for (const suite of measured) {
      const file = baselinePath(run.baselinesDir, suite.suite, environment.profile)
      const baseline = await loadBaseline(file).catch((error: Error) => {
        errors.push(error.message)
        return undefined
      })
      committed.set(suite.suite, baseline)
    }
    // The reference, in order: the committed baseline when it is this testbed's, else this machine's own
    // recent runs (which pnpm bench read before the run), else the committed baseline under the testbed rule
    // (what depends on speed: incomparable).
    const committedTestbed = new Map(
      [...committed].flatMap(([suite, baseline]) =>
        baseline ? [[suite, compareTestbeds(environment, baseline.environment)] as const] : [],
      ),
    )
    for (const { facts: _facts, ...suite } of measured) {
      const reference = committedTestbed.get(suite.suite)?.same === false ? run.references[suite.suite] : undefined
      const baseline = reference ?? committed.get(suite.suite)
      const testbed = reference ? compareTestbeds(environment, reference.environment) : committedTestbed.get(suite.suite)
      if (testbed && !reference) testbeds.push(testbed)
      suites.push({
        ...suite,
        metrics: judgeSuite(suite, baseline, testbed),
        ...(reference
          ? { reference: `this testbed's last ${runsBehind(reference)} runs (its history), the committed baseline being another testbed's` }
          : {}),
      })
      if (baseline) for (const note of environmentNotes(environment, baseline.environment, suite.suite)) notes.add(note)
      // Against this run's own testbed speed, on this very machine: a suite whose calibration ran far slower
      // ran in one of the machine's slow spells, which dividing only partly cancels (tasks slow unevenly).
      const speed = speedRatio(suite.calibration, environment.calibration)
      if (speed !== undefined && speed < SLOW_SPELL_FRACTION) {
        notes.add(
          `${suite.suite}: its calibration workload ran at ${speed.toFixed(2)}x this run's own testbed speed, a slow spell of this machine: ` +
            'rerun, or compare with --against, before trusting its micro-benchmarks',
        )
      }
    }
    const testbed = testbeds.find((t) => !t.same) ?? testbeds[0]
    const gated = gateExplaining(suites)

    const results: RunResults = {
      schemaVersion: 1,
      startedAt: this.#startedAt.toISOString(),
      finishedAt: new Date().toISOString(),
      mode: 'baseline',
      environment,
      environmentNotes: [...notes],
      ...(testbed ? { testbed } : {}),
      suites: gated,
      errors,
      summary: summarize(gated),
    }
    if (this.#standalone) await renderRun(results, run.resultsFile)
    else await writeResultsOnly(results, run.resultsFile)
  }
}

/** A run vitest was started for directly: the committed baselines, no history, the profile's own variable. */
function standaloneRun(root: string, startedAt: Date): RunDescription {
  return {
    resultsFile: resultsFileFor(root, startedAt),
    baselinesDir: join(root, 'baselines'),
    profile: { name: process.env[PROFILE_ENV] ?? DEFAULT_PROFILE.name, reason: 'not chosen by pnpm bench' },
    references: {},
    notes: [],
    progress: true,
  }
}

const runsBehind = (baseline: Baseline) => Math.max(0, ...Object.values(baseline.metrics).map((m) => m.runs ?? 0))
