// How trustworthy is today's gate? Runs the processor micro suite N times per condition against the
// committed baseline — A/A (same code) and A/B (a planted 5% and 10% slowdown of 'validate batch') — and
// prints false alarms and detections. Usage: node scripts/gate-experiment.ts [--runs N]
import { execFile } from 'node:child_process'
import { readFile } from 'node:fs/promises'
import { join } from 'node:path'
import { parseArgs, promisify } from 'node:util'
import type { RunResults } from '../reporters/types.ts'

const run = promisify(execFile)
const ROOT = join(import.meta.dirname, '..')
const { values } = parseArgs({ options: { runs: { type: 'string', default: '10' } } })
const runs = Number(values.runs)
const TARGET = 'validate batch throughput'

for (const planted of [0, 0.05, 0.1]) {
  let anyRegressed = 0
  let targetRegressed = 0
  const changes: number[] = []
  for (let i = 0; i < runs; i++) {
    await run(process.execPath, [join(ROOT, 'scripts', 'bench.ts'), 'processor'], {
      cwd: ROOT,
      env: { ...process.env, CI: '', BENCH_PLANT_SLOWDOWN: String(planted) },
    })
    const results = JSON.parse(await readFile(join(ROOT, 'results', 'latest.json'), 'utf8')) as RunResults
    const metrics = results.suites.flatMap((s) => s.metrics)
    if (metrics.some((m) => m.verdict === 'regressed')) anyRegressed++
    const target = metrics.find((m) => m.name === TARGET)
    if (target?.verdict === 'regressed') targetRegressed++
    if (target?.change !== null && target?.change !== undefined) changes.push(target.change)
  }
  const label = planted === 0 ? 'A/A (same code)' : `A/B (validate ${planted * 100}% slower)`
  const spread = changes.map((c) => `${(c * 100).toFixed(1)}%`).join(' ')
  console.log(
    planted === 0
      ? `${label}: ${anyRegressed} of ${runs} runs raised a false alarm; validate change per run: ${spread}`
      : `${label}: detected in ${targetRegressed} of ${runs} runs; validate change per run: ${spread}`,
  )
}
