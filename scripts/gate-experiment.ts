// How trustworthy is the paired gate on this machine, over every default suite? Runs the gate as a pull
// request gets it (`pnpm bench --against HEAD`, default pairs and confirmation) N times per condition: A/A
// (the same code on both sides) and A/B with a regression planted in the head only, and prints false alarms,
// detections and wall time.
// Usage: node scripts/gate-experiment.ts [--aa N] [--ab N] [--plants micro,capacity,p99] [FILTER...]
// A plant `micro+capacity+p99` puts all three in one head: one gate, each target judged.
// Commit first: HEAD is the base, the working tree the head, and A/A needs them identical.
import { execFile } from 'node:child_process'
import { readFile } from 'node:fs/promises'
import { join } from 'node:path'
import { parseArgs, promisify } from 'node:util'
import type { RunResults } from '../model/results.ts'

const run = promisify(execFile)
const ROOT = join(import.meta.dirname, '..')

/** Each plant: what the head's code gets, and the metrics (suite › key) it should move. */
const PLANTS = {
  // 'validate batch' 5% slower (suites/processor.bench.ts).
  micro: { env: { BENCH_PLANT_SLOWDOWN: '0.05' }, targets: [/^processor › .*validate batch throughput$/] },
  // CPU per event in the processor (apps/processor/server.ts), sized to the target's 10% loss of capacity:
  // 1 µs took 19.5% here (A/B gate of session 13) and 10% on an earlier machine. Found when the rate, its
  // share of the COPY ceiling or the processor's CPU per event, measured side by side, regresses.
  capacity: {
    env: { BENCH_PLANT_CPU_US_PER_EVENT: '0.5' },
    targets: [/^capacity › .*optimized.* › (maximum sustainable rate|share of the COPY ceiling|processor CPU per 100k events at 100k\/s)$/],
  },
  // 4 ms more before each acknowledgement: the end-to-end p99 at 10k events/s of the committed baselines
  // (16.7 ms) rises by 24%.
  p99: { env: { BENCH_PLANT_ACK_DELAY_MS: '4' }, targets: [/^pipeline › steady 10000 events\/s.*optimized › end-to-end p99$/] },
} as const

const { values, positionals } = parseArgs({
  allowPositionals: true,
  options: {
    aa: { type: 'string', default: '1' },
    ab: { type: 'string', default: '1' },
    plants: { type: 'string', default: 'micro,capacity,p99' },
  },
})
const plants = values.plants
  .split(',')
  .filter(Boolean)
  .map((combined) => {
    const parts = combined.split('+') as (keyof typeof PLANTS)[]
    for (const p of parts)
      if (!(p in PLANTS)) throw new Error(`gate-experiment: unknown plant '${p}'; use ${Object.keys(PLANTS).join(', ')}`)
    return {
      name: combined,
      env: Object.assign({}, ...parts.map((p) => PLANTS[p].env)) as Record<string, string>,
      targets: parts.flatMap((p) => [...PLANTS[p].targets]),
    }
  })

const { stdout: dirty } = await run('git', ['status', '--porcelain', '--untracked-files=no'], { cwd: ROOT })
if (dirty.trim()) console.warn(`gate-experiment: the working tree differs from HEAD, so A/A is not quite the same code:\n${dirty}`)

const conditions = [
  { name: 'A/A', env: {}, targets: [] as RegExp[], runs: Number(values.aa) },
  ...plants.map((p) => ({ name: `A/B ${p.name}`, env: p.env, targets: p.targets, runs: Number(values.ab) })),
]
for (const condition of conditions) {
  let red = 0
  let found = 0
  const foundEach = new Map<string, number>()
  for (let i = 0; i < condition.runs; i++) {
    const started = Date.now()
    const { stdout } = await run(process.execPath, [join(ROOT, 'scripts', 'bench.ts'), ...positionals, '--against', 'HEAD'], {
      cwd: ROOT,
      env: { ...process.env, CI: '', BENCH_HISTORY: 'off', ...condition.env },
      maxBuffer: 64 * 2 ** 20,
    })
    const minutes = (Date.now() - started) / 60_000
    // This run's own results file (not results/latest.json, which any other bench run may overwrite).
    const file = /^results: (.+\.json)$/m.exec(stdout)?.[1]
    if (!file) throw new Error(`bench printed no results file:\n${stdout}`)
    const results = JSON.parse(await readFile(join(ROOT, file), 'utf8')) as RunResults
    const metrics = results.suites.flatMap((s) => s.metrics.map((m) => ({ ...m, id: `${s.suite} › ${m.key}` })))
    const regressed = metrics.filter((m) => m.verdict === 'regressed')
    const hit = condition.targets.length > 0 && condition.targets.every((t) => regressed.some((m) => t.test(m.id)))
    for (const t of condition.targets) if (regressed.some((m) => t.test(m.id))) foundEach.set(t.source, (foundEach.get(t.source) ?? 0) + 1)
    if (regressed.length > 0) red++
    if (hit) found++
    const targets = metrics.filter((m) => condition.targets.some((t) => t.test(m.id)))
    console.log(
      `${condition.name} run ${i + 1}: ${minutes.toFixed(1)} min, ${results.against?.pairs} pairs` +
        `${results.against?.confirmed ? `, confirmed ${results.against.confirmed.join(', ')}` : ''}; ` +
        `${metrics.length} metrics, regressed: ${regressed.map((m) => m.id).join('; ') || 'none'}` +
        targets.map((m) => `; target ${m.id}: ${((m.change ?? 0) * 100).toFixed(1)}% ${m.verdict}`).join(''),
    )
  }
  console.log(
    condition.targets.length === 0
      ? `${condition.name}: ${red} of ${condition.runs} unchanged gates red`
      : `${condition.name}: every planted regression found in ${found} of ${condition.runs} gates; ` +
          condition.targets.map((t) => `${t.source}: ${foundEach.get(t.source) ?? 0}`).join(', '),
  )
}
