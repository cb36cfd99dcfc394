import { appendFile, mkdir, writeFile } from 'node:fs/promises'
import { join, relative } from 'node:path'
import type { Reporter, TestModule, Vitest } from 'vitest/node'
import { PROFILE_ENV, PROFILE_REASON_ENV } from '../harness/profile.ts'
import { baselinePath, loadBaseline } from './baseline-file.ts'
import { collectSuite } from './collect.ts'
import { renderConsole } from './console-table.ts'
import { fingerprint } from './environment.ts'
import { renderMarkdown } from './markdown.ts'
import { BASELINES_DIR_ENV, RESULTS_FILE_ENV } from './run-env.ts'
import { assertResults } from './schema-check.ts'
import type { RunResults, SuiteResult, Verdict } from './types.ts'
import { judgeSuite } from './verdict.ts'

/**
 * Judges benchmark suites against baselines/<suite>.json. It only acts on the benchmark project's files,
 * so it can stay registered for every run. It decides nothing until the run ends: then it judges, prints
 * the verdict table, and writes the results as JSON and Markdown. New baselines are `pnpm bench:update`'s job.
 */
export default class BaselineReporter implements Reporter {
  #root = process.cwd()
  #startedAt = new Date()

  onInit(vitest: Vitest): void {
    this.#root = vitest.config.root
    this.#startedAt = new Date()
  }

  async onTestRunEnd(testModules: ReadonlyArray<TestModule>): Promise<void> {
    const benchModules = testModules.filter((m) => m.project.config.benchmark?.enabled)
    if (benchModules.length === 0) return
    const measured = benchModules.map((m) => collectSuite(m, this.#root))
    const baselinesDir = process.env[BASELINES_DIR_ENV] ?? join(this.#root, 'baselines')
    const environment = fingerprint(process.env[PROFILE_ENV] ?? 'local', process.env[PROFILE_REASON_ENV] ?? 'not chosen by pnpm bench')
    const errors: string[] = []

    const suites: SuiteResult[] = []
    for (const suite of measured) {
      const file = baselinePath(baselinesDir, suite.suite)
      const baseline = await loadBaseline(file).catch((error: Error) => {
        errors.push(error.message)
        return undefined
      })
      suites.push({ ...suite, metrics: judgeSuite(suite, baseline) })
    }

    const results: RunResults = {
      schemaVersion: 1,
      startedAt: this.#startedAt.toISOString(),
      finishedAt: new Date().toISOString(),
      environment,
      suites,
      errors,
      summary: summarize(suites),
    }
    const resultsFile = process.env[RESULTS_FILE_ENV] ?? join(this.#root, 'results', `run-${stamp(this.#startedAt)}.json`)
    assertResults(results, resultsFile)
    await mkdir(join(resultsFile, '..'), { recursive: true })
    const json = `${JSON.stringify(results, null, 2)}\n`
    await writeFile(resultsFile, json)
    await writeFile(join(resultsFile, '..', 'latest.json'), json)
    // Markdown beside the JSON (for a PR comment) and into the GitHub job summary when there is one.
    const markdown = renderMarkdown(results)
    await writeFile(resultsFile.replace(/\.json$/, '.md'), markdown)
    await writeFile(join(resultsFile, '..', 'latest.md'), markdown)
    if (process.env.GITHUB_STEP_SUMMARY) await appendFile(process.env.GITHUB_STEP_SUMMARY, markdown)
    console.log(`\n${renderConsole(results, relative(process.cwd(), resultsFile))}`)
  }
}

function summarize(suites: SuiteResult[]): RunResults['summary'] {
  const counts: Record<Verdict, number> = { improved: 0, unchanged: 0, regressed: 0, new: 0, missing: 0 }
  for (const m of suites.flatMap((s) => s.metrics)) counts[m.verdict]++
  return {
    ...counts,
    failedSuites: suites.filter((s) => s.status === 'failed').length,
    skippedSuites: suites.filter((s) => s.status === 'skipped').length,
  }
}

const stamp = (d: Date) => d.toISOString().replace(/[:.]/g, '-')
