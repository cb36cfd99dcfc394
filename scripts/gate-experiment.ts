// How trustworthy is the paired gate on this machine? Runs `pnpm bench processor --against HEAD` N times
// per condition — A/A (the same code on both sides) and A/B (a 5% or 10% slowdown of 'validate batch'
// planted in the head only) — and prints false alarms and detections.
// Usage: node scripts/gate-experiment.ts [--aa N] [--ab N] [--plants 0.05,0.1]
// Commit first: HEAD is the base, the working tree the head, and A/A needs them identical.
import { execFile } from 'node:child_process'
import { readFile } from 'node:fs/promises'
import { join } from 'node:path'
import { parseArgs, promisify } from 'node:util'
import type { RunResults } from '../reporters/types.ts'

const run = promisify(execFile)
const ROOT = join(import.meta.dirname, '..')
const { values } = parseArgs({
  options: {
    aa: { type: 'string', default: '20' },
    ab: { type: 'string', default: '10' },
    plants: { type: 'string', default: '0.05,0.1' },
  },
})
const TARGET = 'validate batch throughput'
const conditions = [
  { planted: 0, runs: Number(values.aa) },
  ...values.plants.split(',').map((p) => ({ planted: Number(p), runs: Number(values.ab) })),
]

const { stdout: dirty } = await run('git', ['status', '--porcelain', '--untracked-files=no'], { cwd: ROOT })
if (dirty.trim()) console.warn('gate-experiment: the working tree differs from HEAD, so A/A is not quite the same code:\n' + dirty)

for (const { planted, runs } of conditions) {
  let anyRegressed = 0
  let targetRegressed = 0
  const changes: string[] = []
  for (let i = 0; i < runs; i++) {
    const { stdout } = await run(process.execPath, [join(ROOT, 'scripts', 'bench.ts'), 'processor', '--against', 'HEAD'], {
      cwd: ROOT,
      env: { ...process.env, CI: '', BENCH_PLANT_SLOWDOWN: String(planted), BENCH_HISTORY: 'off' },
      maxBuffer: 64 * 2 ** 20,
    })
    // This run's own results file (not results/latest.json, which any other bench run may overwrite).
    const file = /^results: (.+\.json)$/m.exec(stdout)?.[1]
    if (!file) throw new Error(`bench printed no results file:\n${stdout}`)
    const results = JSON.parse(await readFile(join(ROOT, file), 'utf8')) as RunResults
    if (results.against?.replaced) console.log(`  (${results.against.replaced} pair(s) replaced: slow spell)`)
    const metrics = results.suites.flatMap((s) => s.metrics)
    if (metrics.some((m) => m.verdict === 'regressed')) anyRegressed++
    const target = metrics.find((m) => m.name === TARGET)
    if (target?.verdict === 'regressed') targetRegressed++
    const pct = (x: number) => (x * 100).toFixed(1)
    changes.push(
      target?.change == null ? '—' : `${pct(target.change)}%${target.interval ? ` [${target.interval.map(pct).join(', ')}]` : ''}`,
    )
    console.log(
      `  ${planted === 0 ? 'A/A' : `A/B ${planted * 100}%`} run ${i + 1}: validate ${changes.at(-1)} ${target?.verdict}; any regressed: ${
        metrics
          .filter((m) => m.verdict === 'regressed')
          .map((m) => m.name)
          .join(', ') || 'none'
      }`,
    )
  }
  console.log(
    planted === 0
      ? `A/A (same code): ${anyRegressed} of ${runs} paired runs raised a false alarm (any of ${3} metrics)`
      : `A/B (validate ${planted * 100}% slower): detected in ${targetRegressed} of ${runs} paired runs`,
  )
}
