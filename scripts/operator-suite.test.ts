import { execFile } from 'node:child_process'
import { readFile } from 'node:fs/promises'
import { join } from 'node:path'
import { promisify } from 'node:util'
import { expect, test } from 'vitest'
import { goMissing } from '../harness/kwok/control-plane.ts'
import type { RunResults } from '../reporters/types.ts'

// `pnpm bench operator --profile kwok` end to end, at N = 10 only (the full 10 / 100 / 1000 takes about
// 5 minutes): the operator as a process against a kwok control plane, its figures in the results.
const run = promisify(execFile)
const ROOT = join(import.meta.dirname, '..')
const why = goMissing()

test.skipIf(why !== '')(
  `pnpm bench operator --profile kwok records the operator's figures${why ? ` (skipped: ${why})` : ''}`,
  { timeout: 45 * 60_000 },
  async () => {
    const { CI: _, ...env } = process.env
    const { stdout } = await run(process.execPath, [join(ROOT, 'scripts', 'bench.ts'), 'operator', '--profile', 'kwok'], {
      cwd: ROOT,
      env: { ...env, BENCH_HISTORY: 'off', BENCH_OPERATOR_SCALES: '10' },
      maxBuffer: 64 * 2 ** 20,
    })
    const file = /^results: (.+\.json)$/m.exec(stdout)?.[1]
    const results = JSON.parse(await readFile(join(ROOT, file ?? 'missing'), 'utf8')) as RunResults
    const operator = results.suites.find((s) => s.suite === 'operator')
    expect(operator?.status).toBe('passed')
    const figure = (name: string) => operator?.metrics.find((m) => m.name === name)?.value
    // Every benchmark reached Completed (or the suite would have failed), and each cost a handful of requests.
    expect(figure('N=10 to Completed p50 ms')).toBeGreaterThan(0)
    expect(figure('N=10 reconcile p99 ms')).toBeGreaterThan(0)
    expect(figure('N=10 API requests per benchmark')).toBeGreaterThanOrEqual(5)
    expect(figure('N=10 API requests per benchmark')).toBeLessThan(20)
  },
)
