// How `pnpm bench` hands the reporter its run description (model/run-description.ts): a file named by one variable.
import { readFileSync, writeFileSync } from 'node:fs'
import type { RunDescription } from '../model/run-description.ts'
import { assertRunDescription } from './schema-check.ts'

export const RUN_DESCRIPTION_ENV = 'BENCH_RUN'

export function writeRunDescription(file: string, description: RunDescription): void {
  writeFileSync(file, `${JSON.stringify(description)}\n`)
}

/** The run this process belongs to, if `pnpm bench` started it; undefined when vitest was started directly. */
export function readRunDescription(env: NodeJS.ProcessEnv = process.env): RunDescription | undefined {
  const file = env[RUN_DESCRIPTION_ENV]
  if (!file) return undefined
  const data: unknown = JSON.parse(readFileSync(file, 'utf8'))
  assertRunDescription(data, `${file} (${RUN_DESCRIPTION_ENV}; pnpm bench writes it)`)
  return data
}
