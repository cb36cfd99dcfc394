import { appendFile, mkdir, writeFile } from 'node:fs/promises'
import { dirname, join, relative } from 'node:path'
import type { RunResults } from '../model/results.ts'
import { renderConsole } from './console-table.ts'
import { withHistory } from './history.ts'
import { renderHtml } from './html.ts'
import { renderMarkdown } from './markdown.ts'
import { assertResults } from './schema-check.ts'

/** `results/run-2026-11-23T10-05-59-548Z.json`: where a run started at `at` writes its results. */
export const resultsFileFor = (root: string, at: Date, prefix = 'run') =>
  join(root, 'results', `${prefix}-${at.toISOString().replace(/[:.]/g, '-')}.json`)

/**
 * Publishes one judged run, baseline or paired alike: records it in the history (which adds each metric's
 * trend), writes the outputs, and prints the verdict table with where the files are.
 */
export async function publishRun(results: RunResults, resultsFile: string, root: string): Promise<RunResults> {
  const withTrends = await withHistory(results, root)
  await renderRun(withTrends, resultsFile)
  return withTrends
}

/** Writes the outputs of a judged run and prints its verdict table with where the files are. */
export async function renderRun(results: RunResults, resultsFile: string): Promise<void> {
  await writeRunOutputs(results, resultsFile)
  const html = resultsFile.replace(/\.json$/, '.html')
  console.log(`\n${renderConsole(results, relative(process.cwd(), resultsFile))}\nreport: ${relative(process.cwd(), html)}`)
}

/**
 * Writes one judged run: results JSON (schema-checked), Markdown (for a PR comment) and the HTML report
 * beside it, each also as `latest.*`, and the Markdown into the GitHub job summary when there is one.
 */
async function writeRunOutputs(results: RunResults, resultsFile: string): Promise<void> {
  assertResults(results, resultsFile)
  const dir = dirname(resultsFile)
  await mkdir(dir, { recursive: true })
  const outputs: [string, string][] = [
    ['json', `${JSON.stringify(results, null, 2)}\n`],
    ['md', renderMarkdown(results)],
    ['html', renderHtml(results)],
  ]
  for (const [ext, text] of outputs) {
    await writeFile(resultsFile.replace(/\.json$/, `.${ext}`), text)
    await writeFile(join(dir, `latest.${ext}`), text)
  }
  const markdown = outputs[1]?.[1] ?? ''
  if (process.env.GITHUB_STEP_SUMMARY) await appendFile(process.env.GITHUB_STEP_SUMMARY, markdown)
}

/** Only the JSON: what each side of a paired run writes for the pair judge to read. */
export async function writeResultsOnly(results: RunResults, resultsFile: string): Promise<void> {
  assertResults(results, resultsFile)
  await mkdir(dirname(resultsFile), { recursive: true })
  await writeFile(resultsFile, `${JSON.stringify(results, null, 2)}\n`)
}
