// One run of `side-by-side-experiment.ts --measure micro`, in a process of its own: 'validate batch' from
// three instances of its module (a query string makes each a module of its own, with its own compiled
// code), B with a busy wait of 5% of its time, as suites/processor.bench.ts plants it. 100-ms rounds take
// turns in the orders A B A' / A' B A. A plain timed loop, as harness/calibration-workload.ts does: one
// figure per round, no statistics tinybench would add. Prints each side's median ratio to A, times A's
// median throughput.
import { median } from 'simple-statistics'
import { createMarketSource } from '../apps/generator/market-source.ts'

const ROUNDS = 14
const ROUND_MS = 100
const PLANT = 0.05

const instance = async (side: string) =>
  (await import(`../apps/processor/validate.ts?side=${side}`)) as typeof import('../apps/processor/validate.ts')
const [a, a2, b] = await Promise.all([instance('A'), instance('A2'), instance('B')])
const next = createMarketSource('micro', 42)
const parsed = JSON.parse(JSON.stringify({ events: Array.from({ length: 500 }, (_, i) => next(1_700_000_000_000 + i)) })) as unknown
let sink: unknown

for (let i = 0; i < 3000; i++) sink = [a.validateBatch(parsed), a2.validateBatch(parsed), b.validateBatch(parsed)] // warm up
const started = performance.now()
for (let i = 0; i < 2000; i++) sink = b.validateBatch(parsed)
const plantMs = ((performance.now() - started) / 2000) * PLANT

const tasks = {
  A: () => {
    sink = a.validateBatch(parsed)
  },
  A2: () => {
    sink = a2.validateBatch(parsed)
  },
  B: () => {
    sink = b.validateBatch(parsed)
    for (const until = performance.now() + plantMs; performance.now() < until; );
  },
}
type Side = keyof typeof tasks
const throughput = (task: () => void) => {
  let ops = 0
  const from = performance.now()
  while (performance.now() - from < ROUND_MS) {
    task()
    ops++
  }
  return ops / ((performance.now() - from) / 1000)
}
const rounds: Record<Side, number[]> = { A: [], A2: [], B: [] }
for (let round = 0; round < ROUNDS; round++)
  for (const side of round % 2 === 0 ? (['A', 'B', 'A2'] as const) : (['A2', 'B', 'A'] as const)) rounds[side].push(throughput(tasks[side]))
if (sink === undefined) throw new Error('the tasks did not run')
const aTypical = median(rounds.A)
const relative = (side: Side) => median(rounds[side].map((ops, i) => ops / (rounds.A[i] as number))) * aTypical
console.log(JSON.stringify({ A: aTypical, A2: relative('A2'), B: relative('B') }))
