// Would a paired gate see a capacity loss sooner if base and head ran side by side in one run, instead of
// one run after the other? Starts the local profile (embedded PostgreSQL) and three processors on it: A,
// A' (the same code) and B (with BENCH_PLANT_CPU_US_PER_EVENT, the gate experiment's capacity plant). Their
// 3-s steps take turns, so all three see the same minutes of this machine, whose speed drifts by up to
// 1.8x within minutes. Prints, per run, A'/A (what an unchanged pull request would show) and B/A:
//   cpu    CPU per event at a fixed rate, steps in the order A B A' / A' B A
//   rate   the maximum sustainable rate, three searches whose steps take turns (harness/rate-search.ts)
//   micro  no environment: 'validate batch' from three instances of its module in one process, B with the
//          gate experiment's 5% plant, 100-ms rounds taking turns; a run is a process
// Usage: node scripts/side-by-side-experiment.ts [--measure cpu|rate|micro] [--runs N] [--plant US] [--rounds N]
import { execFile } from 'node:child_process'
import { join } from 'node:path'
import { parseArgs, promisify } from 'node:util'
import { mean, median, sampleStandardDeviation } from 'simple-statistics'
import type { StartedApp, StartedEnvironment } from '../harness/environment.ts'
import { runPipeline } from '../harness/pipeline-run.ts'
import { profileNamed } from '../harness/profiles.ts'
import { turns } from '../harness/side-by-side.ts'
import { OPTIMIZED_STEPS, STEP_SECONDS, sustainableRate } from '../harness/sustained-step.ts'

const { values } = parseArgs({
  options: {
    measure: { type: 'string', default: 'cpu' },
    runs: { type: 'string', default: '8' },
    // cpu, rate: B's busy wait, µs per event (micro plants 5% of the call's time, as the processor suite does).
    plant: { type: 'string' },
    // cpu: steps per processor after a warm-up step each.
    rounds: { type: 'string' },
    // cpu: the fixed rate; rate: where the searches start (near this testbed's baseline saves steps).
    rate: { type: 'string' },
  },
})
const FLAGS_OF: Record<string, string[]> = { cpu: ['plant', 'rounds', 'rate'], rate: ['plant', 'rate'], micro: [] }
const allowed = FLAGS_OF[values.measure]
if (!allowed) throw new Error(`--measure is cpu, rate or micro, not '${values.measure}'`)
for (const flag of ['plant', 'rounds', 'rate'] as const)
  if (values[flag] !== undefined && !allowed.includes(flag))
    throw new Error(`--${flag} does nothing with --measure ${values.measure}; leave it out`)
const plant = values.plant ?? '0.5'
const rounds = Number(values.rounds ?? 4)

type Side = 'A' | 'A2' | 'B'

async function startSides(env: StartedEnvironment): Promise<Record<Side, StartedApp>> {
  const a = await env.startProcessor()
  const a2 = await env.startProcessor()
  process.env.BENCH_PLANT_CPU_US_PER_EVENT = plant
  try {
    return { A: a, A2: a2, B: await env.startProcessor() }
  } finally {
    delete process.env.BENCH_PLANT_CPU_US_PER_EVENT
  }
}

/** CPU microseconds per committed event, per side, over `rounds` interleaved steps at a fixed rate. */
async function cpuPerEvent(env: StartedEnvironment, sides: Record<Side, StartedApp>): Promise<Record<Side, number>> {
  const rate = Number(values.rate ?? 100_000)
  const cpu: Record<Side, number[]> = { A: [], A2: [], B: [] }
  let step = 0
  const offer = async (side: Side) => {
    const source = `side-by-side-${++step}-${Date.now()}`
    const run = await runPipeline(sides[side], env.postgres, { ratePerSecond: rate, durationSeconds: STEP_SECONDS, source, batchSize: 200 })
    return (run.processorCpuSeconds / run.committed) * 1e6
  }
  for (const side of ['A', 'A2', 'B'] as const) await offer(side) // warm-up, not counted
  for (let round = 0; round < rounds; round++)
    for (const side of round % 2 === 0 ? (['A', 'B', 'A2'] as const) : (['A2', 'B', 'A'] as const)) cpu[side].push(await offer(side))
  return { A: mean(cpu.A), A2: mean(cpu.A2), B: mean(cpu.B) }
}

/** Each side's maximum sustainable rate; the three searches' steps go through one turns(), so they take turns. */
async function sustainableRates(env: StartedEnvironment, sides: Record<Side, StartedApp>): Promise<Record<Side, number>> {
  const inTurn = turns()
  const search = (side: Side) =>
    sustainableRate(sides[side], env.postgres, { steps: OPTIMIZED_STEPS, expected: Number(values.rate ?? 160_000), label: side, inTurn })
  const [a, a2, b] = await Promise.all([search('A'), search('A2'), search('B')])
  return { A: a, A2: a2, B: b }
}

/** One process's run of side-by-side-micro.ts: throughput per side (ops/s), medians of its ratios to A. */
async function microRun(): Promise<Record<Side, number>> {
  const { stdout } = await promisify(execFile)(process.execPath, [join(import.meta.dirname, 'side-by-side-micro.ts')])
  return JSON.parse(stdout) as Record<Side, number>
}

const say = console.log
console.log = () => {} // the steps' own lines; this prints one line a run
if (values.measure === 'cpu') say(`CPU per event at ${Number(values.rate ?? 100_000)} events/s, ${rounds} rounds after a warm-up step each`)
const ratios: { aa: number; ab: number }[] = []
for (let run = 1; run <= Number(values.runs); run++) {
  if (values.measure === 'micro') {
    const figures = await microRun()
    // Throughput: a slower B is a lower figure, so the ratios read as the other measures' inverted.
    const ratio = { aa: Math.log(figures.A2 / figures.A), ab: Math.log(figures.B / figures.A) }
    ratios.push(ratio)
    say(`run ${run}: validate batch ops/s: A ${figures.A.toFixed(0)}: A'/A ${pct(ratio.aa)}, B/A ${pct(ratio.ab)}`)
    continue
  }
  await using env = await profileNamed('local').start()
  const sides = await startSides(env)
  const figures = values.measure === 'cpu' ? await cpuPerEvent(env, sides) : await sustainableRates(env, sides)
  const ratio = { aa: Math.log(figures.A2 / figures.A), ab: Math.log(figures.B / figures.A) }
  ratios.push(ratio)
  say(
    `run ${run}: A ${figures.A.toFixed(3)}, A' ${figures.A2.toFixed(3)}, B ${figures.B.toFixed(3)}` +
      ` ${values.measure === 'cpu' ? 'µs CPU per event' : 'events/s'}: A'/A ${pct(ratio.aa)}, B/A ${pct(ratio.ab)}`,
  )
}
const [aa, ab] = [ratios.map((r) => r.aa), ratios.map((r) => r.ab)]
const spread = (xs: number[]) => (xs.length > 1 ? `sd ${(sampleStandardDeviation(xs) * 100).toFixed(2)}%` : 'no sd of one run')
say(`A'/A: median ${pct(median(aa))}, ${spread(aa)} over ${aa.length} runs`)
say(`B/A:  median ${pct(median(ab))}, ${spread(ab)} over ${ab.length} runs`)

function pct(logRatio: number) {
  const change = Math.expm1(logRatio) * 100
  return `${change >= 0 ? '+' : ''}${change.toFixed(1)}%`
}
