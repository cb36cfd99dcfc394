/**
 * A fixed CPU workload measured in the same process as a suite's micro-benchmarks. Its throughput says how
 * fast this process runs today: on these machines about one process in ten runs 40% slower for no code
 * reason, and every task in it slows alike (measured: validate, encode and parse+encode all at 0.58x).
 * Dividing a micro-benchmark by it cancels that, and the difference between machines. Change the workload
 * only together with CALIBRATION_VERSION: figures normalised by different workloads do not compare.
 */
export const CALIBRATION_TASK = 'calibration: reference workload'
export const CALIBRATION_VERSION = 1

const records = Array.from({ length: 64 }, (_, i) => ({
  id: i,
  name: `record-${i}`,
  price: 100 + ((i * 37) % 101) / 7,
  tags: ['a', 'b', String(i % 5)],
}))
const text = JSON.stringify(records)
const numbers = Array.from({ length: 256 }, (_, i) => (i * 7919) % 1009)
let sink = 0

/** JSON in both directions, string building and a sort: the kind of work the processor's hot path does. */
export function calibrationWorkload(): void {
  const parsed = JSON.parse(text) as typeof records
  let total = 0
  for (const r of parsed) total += r.price * r.id + r.name.length
  sink += JSON.stringify(parsed).length + total + (numbers.slice().sort((a, b) => a - b)[128] ?? 0)
}

export const calibrationSink = () => sink

const ROUNDS = 9
const ROUND_MS = 100

/**
 * How fast this machine runs the calibration workload now: the run's testbed speed, stored with results and
 * baselines. The upper quartile of 9 short rounds, because a slow spell of a second only lowers some rounds.
 * A plain timed loop rather than tinybench: one number, synchronous, and no statistics it would not use.
 */
export function measureCalibration(): { opsPerSecond: number; version: number } {
  for (const until = performance.now() + ROUND_MS; performance.now() < until; ) calibrationWorkload() // warm up
  const rounds: number[] = []
  for (let r = 0; r < ROUNDS; r++) {
    let ops = 0
    const started = performance.now()
    while (performance.now() - started < ROUND_MS) {
      calibrationWorkload()
      ops++
    }
    rounds.push(ops / ((performance.now() - started) / 1000))
  }
  rounds.sort((a, b) => a - b)
  return { opsPerSecond: rounds[Math.floor(ROUNDS * 0.75)] as number, version: CALIBRATION_VERSION }
}
