import { execFile } from 'node:child_process'
import { mkdtemp, rm, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { promisify } from 'node:util'
import { afterAll, describe, expect, test } from 'vitest'
import { fingerprint } from '../reporters/environment.ts'
import type { Baseline } from '../reporters/types.ts'

// `pnpm bench` end to end on the micro suite, against baselines written here: the exit code is the gate.
const run = promisify(execFile)
const BENCH = join(import.meta.dirname, 'bench.ts')
const TEST = 'ingest hot path, 500-event batch'
const dir = await mkdtemp(join(tmpdir(), 'bench-gate-test-'))
afterAll(() => rm(dir, { recursive: true, force: true }))

async function bench(baseline: unknown, env: Record<string, string | undefined>) {
  const baselinesDir = await mkdtemp(join(dir, 'baselines-'))
  await writeFile(join(baselinesDir, 'processor.json'), JSON.stringify(baseline))
  const { CI: _, ...rest } = process.env
  return run(process.execPath, [BENCH, 'processor', '--profile', 'local'], {
    env: { ...rest, BENCH_BASELINES_DIR: baselinesDir, BENCH_HISTORY: 'off', ...env },
  }).then(
    ({ stdout, stderr }) => ({ code: 0, out: stdout + stderr }),
    (error: { code: number; stdout: string; stderr: string }) => ({ code: error.code, out: error.stdout + error.stderr }),
  )
}

// A baseline 100x faster than any machine: today's figures are a certain regression against it.
const impossiblyFast: Baseline = {
  schemaVersion: 1,
  suite: 'processor',
  recordedAt: new Date().toISOString(),
  environment: fingerprint('local', 'test'),
  metrics: {
    [`${TEST} › validate batch throughput`]: { value: 1e8, unit: 'ops/s', direction: 'higher' },
  },
}

describe('pnpm bench', { timeout: 120_000 }, () => {
  test('with CI=true a regression exits 1 and names the metric', async () => {
    const { code, out } = await bench(impossiblyFast, { CI: 'true' })
    expect(code).toBe(1)
    expect(out).toContain(`processor › ${TEST} › validate batch throughput`)
    expect(out).toMatch(/1 regressed, failing/)
  })

  test('outside CI a regression is reported and exits 0', async () => {
    const { code, out } = await bench(impossiblyFast, {})
    expect(code).toBe(0)
    expect(out).toContain('not failing (set CI=true or --fail-on-regression to fail)')
  })

  test('a baseline with a wrong type exits 1 with the file and JSON path, not a stack trace', async () => {
    const wrong = structuredClone(impossiblyFast) as unknown as { metrics: Record<string, { value: unknown }> }
    ;(wrong.metrics[`${TEST} › validate batch throughput`] as { value: unknown }).value = 'fast'
    const { code, out } = await bench(wrong, {})
    expect(code).toBe(1)
    expect(out).toMatch(
      /processor\.json is not valid:\n\s+- at \/metrics\/ingest hot path, 500-event batch › validate batch throughput\/value: must be number/,
    )
    expect(out).not.toMatch(/^\s+at .*\.ts:\d+:\d+\)?$/m)
  })
})
