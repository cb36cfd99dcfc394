import { TABLE_COLUMNS } from '../apps/processor/events.ts'
import { measureCopyCeiling } from '../harness/copy-ceiling.ts'
import { test } from '../harness/fixtures.ts'
import { withGenerator } from '../harness/generator-session.ts'
import { IMPLEMENTATIONS, type Implementation, implementationUnavailable } from '../harness/implementations.ts'
import { describeRun, expectNoLoss, processorCpuPer100k, runPipeline } from '../harness/pipeline-run.ts'
import { queryRows } from '../harness/sql.ts'
import { COPY_CEILING_LOAD, maximumSustainableRate, OPTIMIZED_STEPS, sustainableRate } from '../harness/sustained-step.ts'
import type { Metric } from '../model/metric.ts'

// The processor implementations side by side in one run, on one database: the same workloads on each
// (harness/implementations.ts), then their ratios. Optimized strategy, default flags. Opt-in
// (`pnpm bench implementations`): about 2 minutes.
const FIXED_RATES = [10_000, 50_000]
const FIXED_SECONDS = 5
/** The rate whose p99 and CPU the ratios compare: what the pipeline suite offers at its highest. */
const COMPARED_RATE = 50_000
/** What a run writes: the raw tables, and what their events fold into. */
const EVENT_AND_AGGREGATE_TABLES = [
  ...Object.values(TABLE_COLUMNS).map((t) => t.table),
  ...['market_ohlc_1s', 'iot_stats_1s', 'iot_alerts', 'log_counts_1s'],
]

interface Measured {
  maxRate: number
  cpuPer100k: number
  p99Ms: number
  peakRssMiB: number
}
const measured = new Map<Implementation, Measured>()

for (const implementation of IMPLEMENTATIONS) {
  test(`${implementation} processor, optimized`, { timeout: 600_000 }, async ({ startProcessor, postgres, record, skip }) => {
    const why = implementationUnavailable(implementation)
    if (why) return skip(why)
    // A process of its own: its peak resident memory is of these loads only.
    // Its loads from one generator process that stays up, as in the capacity suite (harness/generator-session.ts).
    const driven = withGenerator(await startProcessor({ implementation }))
    await using _generator = { [Symbol.asyncDispose]: driven.stop }
    const { processor } = driven
    // Each starts from empty tables: on the tables the first one filled, the COPY ceiling measured 40% lower.
    await queryRows(postgres.url, `TRUNCATE ${EVENT_AND_AGGREGATE_TABLES.join(', ')}`)
    // What PostgreSQL alone takes, beside each: the share of it each implementation reaches (tables now migrated).
    const copyCeiling = (await measureCopyCeiling(postgres.url, COPY_CEILING_LOAD)).eventsPerSecond
    record({ name: 'PostgreSQL COPY ceiling', value: copyCeiling, unit: 'events/s', direction: 'higher', tolerance: 0.25 })
    let compared: Omit<Measured, 'maxRate' | 'peakRssMiB'> | undefined
    let peakRssMiB = 0
    for (const rate of FIXED_RATES) {
      const run = await runPipeline(processor, postgres, {
        ratePerSecond: rate,
        durationSeconds: FIXED_SECONDS,
        source: `${implementation}-${rate}`,
      })
      expectNoLoss(run)
      console.log(describeRun(`implementations ${implementation} at ${rate}/s`, run))
      const p50Ms = run.load.endToEndLatency.p50Us / 1000
      const p99Ms = run.load.endToEndLatency.p99Us / 1000
      const cpuPer100k = processorCpuPer100k(run)
      record(latency(`end-to-end p50 at ${rate / 1000}k/s`, p50Ms))
      record(latency(`end-to-end p99 at ${rate / 1000}k/s`, p99Ms))
      record({
        name: `processor CPU per 100k events at ${rate / 1000}k/s`,
        value: cpuPer100k,
        unit: 'CPU s',
        direction: 'lower',
        tolerance: 0.2,
      })
      if (rate === COMPARED_RATE) compared = { cpuPer100k, p99Ms }
      peakRssMiB = run.peakRssMiB
    }
    record({ name: 'peak RSS', value: peakRssMiB, unit: 'MiB', direction: 'lower', tolerance: 0.2 })
    const maxRate = await sustainableRate(processor, postgres, { steps: OPTIMIZED_STEPS, label: implementation })
    record(maximumSustainableRate(maxRate))
    record({ name: 'share of the COPY ceiling', value: maxRate / copyCeiling, unit: 'ratio', direction: 'higher', tolerance: 0.5 })
    if (compared) measured.set(implementation, { ...compared, maxRate, peakRssMiB })
  })
}

test('rust against typescript', async ({ record, skip }) => {
  const [typescript, rust] = [measured.get('typescript'), measured.get('rust')]
  if (!typescript || !rust) return skip('both implementations must have been measured in this run')
  const ratio = (name: string, value: number): Metric => ({ name, value, unit: 'ratio', direction: 'higher', tolerance: 0.3 })
  const ratios = {
    rate: rust.maxRate / typescript.maxRate,
    perCpu: typescript.cpuPer100k / rust.cpuPer100k,
    p99: typescript.p99Ms / rust.p99Ms,
    rss: typescript.peakRssMiB / rust.peakRssMiB,
  }
  record(ratio('maximum sustainable rate, rust ÷ typescript', ratios.rate))
  record(ratio(`events per processor CPU second at ${COMPARED_RATE / 1000}k/s, rust ÷ typescript`, ratios.perCpu))
  record(ratio(`end-to-end p99 at ${COMPARED_RATE / 1000}k/s, typescript ÷ rust`, ratios.p99))
  record(ratio('peak RSS, typescript ÷ rust', ratios.rss))
  const x = (v: number) => `${v.toFixed(2)}×`
  console.log(
    `implementations: Rust sustains ${x(ratios.rate)} the rate, ${x(ratios.perCpu)} the events per CPU second, ` +
      `${x(ratios.p99)} lower p99 at ${COMPARED_RATE / 1000}k/s and ${x(ratios.rss)} less peak memory than TypeScript`,
  )
})

const latency = (name: string, value: number): Metric => ({ name, value, unit: 'ms', direction: 'lower', tolerance: 0.5 })
