import { execFile } from 'node:child_process'
import { mkdtemp, readFile, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { promisify } from 'node:util'
import { afterAll, expect, test } from 'vitest'
import { implementationUnavailable } from '../harness/implementations.ts'
import type { RunResults } from '../model/results.ts'

// `pnpm bench --implementation rust` end to end on the patterns suite: the Rust processor measured, judged
// as a suite of its own (no baseline of it here: every figure new, none judged against TypeScript's).
const run = promisify(execFile)
const BENCH = join(import.meta.dirname, 'bench.ts')
const dir = await mkdtemp(join(tmpdir(), 'bench-implementation-test-'))
afterAll(() => rm(dir, { recursive: true, force: true }))

const bench = (args: string[], { suite = 'patterns', ci = false } = {}) => {
  const { CI: _, ...rest } = process.env
  const env = { ...rest, BENCH_HISTORY: 'off', ...(ci ? { CI: 'true' } : {}) }
  return run(process.execPath, [BENCH, suite, '--profile', 'local', ...args], { env }).then(
    ({ stdout, stderr }) => ({ code: 0, out: stdout + stderr }),
    (error: { code: number; stdout: string; stderr: string }) => ({ code: error.code, out: error.stdout + error.stderr }),
  )
}

test.skipIf(implementationUnavailable('rust') !== '')(
  '--implementation rust runs the suite on the Rust processor and judges it as patterns@rust, apart from the TypeScript baseline',
  { timeout: 180_000 },
  async () => {
    const { code, out } = await bench(['--implementation', 'rust'])
    expect(code, out).toBe(0)
    const file = /results: (\S+\.json)/.exec(out)?.[1] as string
    const results = JSON.parse(await readFile(join(import.meta.dirname, '..', file), 'utf8')) as RunResults
    expect(results.suites.map((s) => s.suite)).toEqual(['patterns@rust'])
    const metrics = results.suites[0]?.metrics ?? []
    expect(metrics.length).toBeGreaterThan(10)
    expect(new Set(metrics.map((m) => m.verdict))).toEqual(new Set(['new']))
    // The Rust processor has no Node runtime to report: the TypeScript one's GC figures are absent.
    expect(metrics.filter((m) => m.name.startsWith('processor GC'))).toEqual([])
    expect(metrics.some((m) => m.name === 'processor peak RSS')).toBe(true)
  },
)

test('an unknown implementation, or one with --against, is refused before anything runs, naming what to do', async () => {
  const unknown = await bench(['--implementation', 'cobol'])
  expect(unknown.code).toBe(2)
  expect(unknown.out).toContain('BENCH_IMPLEMENTATION=cobol is not a processor implementation; use one of typescript, rust.')
  const paired = await bench(['--implementation', 'rust', '--against', 'HEAD'])
  expect(paired.code).toBe(2)
  expect(paired.out).toContain('--against compares two trees on the TypeScript processor only')
})

test.skipIf(implementationUnavailable('rust') !== '')(
  'under CI, --allow-skipped names a suite by its file and allows it on either implementation',
  { timeout: 120_000 },
  async () => {
    // The operator suite measures nothing on local (no Kubernetes): allowed by name, the run passes.
    const allowed = await bench(['--implementation', 'rust', '--allow-skipped', 'operator'], { suite: 'operator', ci: true })
    expect(allowed.code, allowed.out).toBe(0)
    const refused = await bench(['--implementation', 'rust'], { suite: 'operator', ci: true })
    expect(refused.code).not.toBe(0)
    expect(refused.out).toContain('operator@rust')
  },
)
