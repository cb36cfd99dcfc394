// Prints the Markdown description of a baseline-update pull request: every profile's baselines
// (baselines/*.json, baselines/<profile>/*.json) in the working tree compared with the committed ones (git
// HEAD), keyed `profile/suite` for profiles other than local.
import { execFileSync } from 'node:child_process'
import { readdirSync } from 'node:fs'
import { join } from 'node:path'
import type { Baseline } from '../model/results.ts'
import { renderBaselineDiff } from '../reporters/baseline-diff.ts'
import { loadBaseline } from '../reporters/baseline-file.ts'
import { assertBaseline } from '../reporters/schema-check.ts'

const dir = join(import.meta.dirname, '..', 'baselines')
const before: Record<string, Baseline | undefined> = {}
const after: Record<string, Baseline> = {}
for (const file of readdirSync(dir, { recursive: true, encoding: 'utf8' })
  .filter((f) => f.endsWith('.json'))
  .sort()) {
  const suite = file.replace(/\.json$/, '')
  const next = await loadBaseline(join(dir, file))
  if (next) after[suite] = next
  before[suite] = committed(`baselines/${file}`)
}
process.stdout.write(renderBaselineDiff(before, after))

function committed(path: string): Baseline | undefined {
  let text: string
  try {
    text = execFileSync('git', ['show', `HEAD:${path}`], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] })
  } catch {
    return undefined // new suite
  }
  const data: unknown = JSON.parse(text)
  assertBaseline(data, `HEAD:${path}`)
  return data
}
