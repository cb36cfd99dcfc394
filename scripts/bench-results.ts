import { execFile } from 'node:child_process'
import { readFile } from 'node:fs/promises'
import { join } from 'node:path'
import { promisify } from 'node:util'
import type { RunResults } from '../model/results.ts'

const ROOT = join(import.meta.dirname, '..')

/**
 * For end-to-end tests: runs `pnpm bench ARGS` (scripts/bench.ts, outside CI mode, history off) and returns
 * the results file it names on its last lines, whatever its exit code.
 */
export async function benchResults(args: string[], env: Record<string, string> = {}): Promise<RunResults> {
  const { CI: _, ...inherited } = process.env
  const { stdout } = await promisify(execFile)(process.execPath, [join(ROOT, 'scripts', 'bench.ts'), ...args], {
    cwd: ROOT,
    env: { ...inherited, BENCH_HISTORY: 'off', ...env },
    maxBuffer: 64 * 2 ** 20,
  }).catch((error: Error & { stdout?: string; stderr?: string }) => {
    // A failed suite exits 1 after writing its results: the caller judges them (and sees the reason).
    if (error.stdout && /^results: /m.test(error.stdout)) return { stdout: error.stdout }
    throw new Error(`pnpm bench ${args.join(' ')} failed: ${error.message}\n${(error.stderr ?? '').slice(-2000)}`)
  })
  const file = /^results: (.+\.json)$/m.exec(stdout)?.[1]
  if (!file) throw new Error(`pnpm bench ${args.join(' ')} named no results file:\n${stdout.slice(-2000)}`)
  return JSON.parse(await readFile(join(ROOT, file), 'utf8')) as RunResults
}
