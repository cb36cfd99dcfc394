import { execFile } from 'node:child_process'
import { join } from 'node:path'
import { promisify } from 'node:util'
import { expect, test } from 'vitest'

// The flags of scripts/side-by-side-experiment.ts. Real runs: the micro mode in processes of its own, and
// the cpu mode on the local profile (embedded PostgreSQL, three processors).
const run = (...args: string[]) =>
  promisify(execFile)(process.execPath, [join(import.meta.dirname, 'side-by-side-experiment.ts'), ...args], { encoding: 'utf8' })

test('--measure micro --runs 2 measures two processes and sums them up', { timeout: 60_000 }, async () => {
  const { stdout } = await run('--measure', 'micro', '--runs', '2')
  expect(stdout.match(/^run \d: validate batch ops\/s: A \d+: A'\/A [+-]\d+\.\d%, B\/A [+-]\d+\.\d%$/gm)).toHaveLength(2)
  expect(stdout).toMatch(/^A'\/A: median [+-]\d+\.\d%, sd \d+\.\d+% over 2 runs$/m)
})

test('a flag the chosen measure would ignore, or an unknown measure, is refused by name', async () => {
  await expect(run('--measure', 'micro', '--plant', '1')).rejects.toThrow(/--plant does nothing with --measure micro/)
  await expect(run('--measure', 'rate', '--rounds', '2')).rejects.toThrow(/--rounds does nothing with --measure rate/)
  await expect(run('--measure', 'speed')).rejects.toThrow(/--measure is cpu, rate or micro, not 'speed'/)
})

test('--measure cpu offers --rate for --rounds, and B carries --plant µs of CPU per event', { timeout: 180_000 }, async () => {
  // 20 µs per event against the processor's own ~17 at this rate (measured: B/A +112% and +139%), far
  // beyond one step's noise; the default plant of 0.5 µs would be inside it.
  const { stdout } = await run('--measure', 'cpu', '--runs', '1', '--rounds', '1', '--rate', '20000', '--plant', '20')
  expect(stdout).toMatch(/^CPU per event at 20000 events\/s, 1 rounds after a warm-up step each$/m)
  const [, aa, ab] = /A'\/A ([+-][\d.]+)%, B\/A ([+-][\d.]+)%/.exec(stdout) ?? []
  expect(Number(ab)).toBeGreaterThan(50)
  expect(Math.abs(Number(aa))).toBeLessThan(50)
})
