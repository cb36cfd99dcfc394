import { join } from 'node:path'
import type { Reporter, TestCase, TestModule, Vitest } from 'vitest/node'
import { PROFILE_ENV, PROFILE_REASON_ENV } from '../harness/profile.ts'
import { baselinePath, loadBaseline } from './baseline-file.ts'
import { collectSuite, suiteName } from './collect.ts'
import { environmentNotes, fingerprint } from './environment.ts'
import { SLOW_SPELL_FRACTION } from './paired.ts'
import { BASELINES_DIR_ENV, RESULTS_FILE_ENV, RESULTS_ONLY_ENV } from './run-env.ts'
import type { RunResults, SuiteResult } from './types.ts'
import { judgeSuite, speedRatio, summarize } from './verdict.ts'
import { publishRun, resultsFileFor, writeResultsOnly } from './write-results.ts'

/**
 * Judges benchmark suites against baselines/<suite>.json. It only acts on the benchmark project's files,
 * so it can stay registered for every run. It decides nothing until the run ends: then it judges, prints
 * the verdict table, and writes the results as JSON, Markdown and HTML. New baselines are `pnpm bench:update`'s job.
 */
export default class BaselineReporter implements Reporter {
  #root = process.cwd()
  #startedAt = new Date()

  onInit(vitest: Vitest): void {
    this.#root = vitest.config.root
    this.#startedAt = new Date()
  }

  // Progress, so a long run is never silent: which suite and scenario, and the time since the start.
  onTestCaseReady(testCase: TestCase): void {
    if (!testCase.project.config.benchmark?.enabled || process.env[RESULTS_ONLY_ENV]) return
    console.log(`bench [${this.#elapsed()}] ${suiteName(testCase.module.moduleId)} › ${testCase.fullName}: running`)
  }

  onTestCaseResult(testCase: TestCase): void {
    if (!testCase.project.config.benchmark?.enabled || process.env[RESULTS_ONLY_ENV]) return
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
    const baselinesDir = process.env[BASELINES_DIR_ENV] ?? join(this.#root, 'baselines')
    const environment = fingerprint(process.env[PROFILE_ENV] ?? 'local', process.env[PROFILE_REASON_ENV] ?? 'not chosen by pnpm bench')
    const errors: string[] = []

    const suites: SuiteResult[] = []
    const notes = new Set<string>()
    for (const suite of measured) {
      const file = baselinePath(baselinesDir, suite.suite, environment.profile)
      const baseline = await loadBaseline(file).catch((error: Error) => {
        errors.push(error.message)
        return undefined
      })
      suites.push({ ...suite, metrics: judgeSuite(suite, baseline) })
      if (!baseline) continue
      for (const note of environmentNotes(environment, baseline.environment, suite.suite)) notes.add(note)
      const speed = speedRatio(suite.calibration, baseline.calibration)
      if (speed !== undefined && Math.abs(speed - 1) > 0.05) {
        // On the same CPU model a big drop is one of the machine's slow spells, which dividing only partly
        // cancels (they slow tasks unevenly): say so, and how to get a figure that does not depend on it.
        const spell = speed < SLOW_SPELL_FRACTION && baseline.environment.cpuModel === environment.cpuModel
        notes.add(
          `${suite.suite}: this process ran the calibration workload at ${speed.toFixed(2)}x the baseline's speed; ` +
            (spell
              ? 'on the same CPU model that is a slow spell of the machine: rerun, or compare with --against, before trusting its micro-benchmarks'
              : 'its micro-benchmarks are judged per calibration workload'),
        )
      }
    }

    const results: RunResults = {
      schemaVersion: 1,
      startedAt: this.#startedAt.toISOString(),
      finishedAt: new Date().toISOString(),
      mode: 'baseline',
      environment,
      environmentNotes: [...notes],
      suites,
      errors,
      summary: summarize(suites),
    }
    const resultsFile = process.env[RESULTS_FILE_ENV] ?? resultsFileFor(this.#root, this.#startedAt)
    if (process.env[RESULTS_ONLY_ENV]) {
      await writeResultsOnly(results, resultsFile)
      return
    }
    await publishRun(results, resultsFile, this.#root)
  }
}
