import { appendFile, mkdir, writeFile } from 'node:fs/promises'
import { dirname, join } from 'node:path'
import { renderHtml } from './html.ts'
import { renderMarkdown } from './markdown.ts'
import { assertResults } from './schema-check.ts'
import type { RunResults } from './types.ts'

/**
 * Writes one judged run: results JSON (schema-checked), Markdown (for a PR comment) and the HTML report
 * beside it, each also as `latest.*`, and the Markdown into the GitHub job summary when there is one.
 */
export async function writeRunOutputs(results: RunResults, resultsFile: string): Promise<{ html: string; markdown: string }> {
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
  return { html: resultsFile.replace(/\.json$/, '.html'), markdown: resultsFile.replace(/\.json$/, '.md') }
}

/** Only the JSON: what each side of a paired run writes for the pair judge to read. */
export async function writeResultsOnly(results: RunResults, resultsFile: string): Promise<void> {
  assertResults(results, resultsFile)
  await mkdir(dirname(resultsFile), { recursive: true })
  await writeFile(resultsFile, `${JSON.stringify(results, null, 2)}\n`)
}
