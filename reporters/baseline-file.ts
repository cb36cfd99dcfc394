import { mkdir, readFile, writeFile } from 'node:fs/promises'
import { dirname, join } from 'node:path'
import { DEFAULT_PROFILE } from '../harness/profiles.ts'
import type { Baseline } from '../model/results.ts'
import { assertBaseline, SchemaError } from './schema-check.ts'

/**
 * Baselines are per profile: the same code measures differently with PostgreSQL in a container. The default
 * profile's live at the top of baselines/, the others' in a folder named after the profile.
 */
export const baselinePath = (dir: string, suite: string, profile: string = DEFAULT_PROFILE.name) =>
  profile === DEFAULT_PROFILE.name ? join(dir, `${suite}.json`) : join(dir, profile, `${suite}.json`)

/** The committed baseline of a suite, or undefined when the suite has none yet. Bad files throw SchemaError. */
export async function loadBaseline(file: string): Promise<Baseline | undefined> {
  let text: string
  try {
    text = await readFile(file, 'utf8')
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined
    throw error
  }
  let data: unknown
  try {
    data = JSON.parse(text)
  } catch (error) {
    throw new SchemaError(file, [`not JSON: ${(error as Error).message}`])
  }
  assertBaseline(data, file)
  return data
}

export async function writeBaseline(file: string, baseline: Baseline): Promise<void> {
  assertBaseline(baseline, file)
  await mkdir(dirname(file), { recursive: true })
  await writeFile(file, `${JSON.stringify(baseline, null, 2)}\n`)
}
