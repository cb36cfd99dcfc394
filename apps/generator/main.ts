import { readFileSync } from 'node:fs'
import { setTimeout as sleep } from 'node:timers/promises'
import { parseArgs } from 'node:util'
import { Pool } from 'undici'
import type { IngestEvent } from '../processor/events.ts'
import { announce, onShutdownRequest } from '../shared/lifecycle.ts'
import { runtimeWindow } from '../shared/runtime-window.ts'
import { readConfigFile } from './config-file.ts'
import { createEventSource, type EventSourceOptions, type SizeDistribution } from './event-source.ts'
import { createLatencyHistogram, summarize } from './latency.ts'
import { type Batch, runOpenLoop } from './open-loop.ts'
import { postJson } from './post-json.ts'
import { type LoadShape, rateFunction, validateLoadShape } from './rate-pattern.ts'

const USAGE = `generator --target URL [--rate EVENTS_PER_S | --shape JSON | --shape-file FILE] [--duration-s S]
          [--batch-size N] [--linger-ms MS] [--source ID] [--seed N] [--max-in-flight N] [--max-attempts N]
          [--late-fraction F] [--late-max-ms MS] [--mix market=W,iot=W,log=W] [--v2-fraction F]
          [--size-distribution fixed|uniform|normal|lognormal] [--size-min B] [--size-max B] [--config FILE]
Sends market events to URL/ingest at an open-loop rate (steady, or a load shape: see rate-pattern.ts,
e.g. --shape '{"pattern":{"kind":"bursty","rate":5000,"burstRate":40000,"burstS":1,"quietS":2}}'),
then prints one JSON summary line. A fraction of events (--late-fraction) carries an event time up to
--late-max-ms old: late, out-of-order arrivals. --mix weighs event kinds (default market only); IoT payloads
and log messages take sizes from --size-*; --v2-fraction of market events use schema v2. --config reads
the same settings from a JSON file
(config-file.ts); flags win over it. TARGET_URL and LOAD_SHAPE work as environment variables too.`

const DEFAULTS: Record<string, string> = {
  'duration-s': '10',
  'batch-size': '100',
  'linger-ms': '5',
  source: 'gen-1',
  seed: '1',
  'max-in-flight': '64',
  'max-attempts': '8',
  'late-fraction': '0',
  'late-max-ms': '2000',
  mix: 'market=1',
  'v2-fraction': '0',
  'size-distribution': 'fixed',
  'size-min': '100',
  'size-max': '100',
}
const { values: cli } = parseArgs({
  options: {
    config: { type: 'string' },
    target: { type: 'string', default: process.env.TARGET_URL },
    rate: { type: 'string' },
    shape: { type: 'string', default: process.env.LOAD_SHAPE },
    'shape-file': { type: 'string' },
    'duration-s': { type: 'string' },
    'batch-size': { type: 'string' },
    'linger-ms': { type: 'string' },
    source: { type: 'string' },
    seed: { type: 'string' },
    'max-in-flight': { type: 'string' },
    'max-attempts': { type: 'string' },
    'late-fraction': { type: 'string' },
    'late-max-ms': { type: 'string' },
    mix: { type: 'string' },
    'v2-fraction': { type: 'string' },
    'size-distribution': { type: 'string' },
    'size-min': { type: 'string' },
    'size-max': { type: 'string' },
    help: { type: 'boolean', default: false },
  },
})
if (cli.help) {
  console.log(USAGE)
  process.exit(0)
}
let fromFile: Record<string, string> = {}
try {
  fromFile = cli.config ? readConfigFile(cli.config) : {}
} catch (error) {
  fail((error as Error).message)
}
const given = Object.fromEntries(Object.entries(cli).filter(([, v]) => v !== undefined)) as Record<string, string>
// A rate or shape on the command line replaces the file's, rather than clashing with it.
if (given.rate ?? given.shape ?? given['shape-file']) {
  delete fromFile.rate
  delete fromFile.shape
}
const flags: Record<string, string | undefined> = { ...DEFAULTS, ...fromFile, ...given }
if (!flags.target) fail('--target (or TARGET_URL, or "target" in --config) is required')
const lateFraction = Number(flags['late-fraction'])
if (!(lateFraction >= 0 && lateFraction <= 1)) fail(`--late-fraction must be between 0 and 1, got '${flags['late-fraction']}'`)
const nextEvent = createEventSource(flags.source as string, positive('seed'), eventSourceOptions())

const shape = loadShape()
const rate = rateFunction(shape, positive('seed'))
const durationMs = positive('duration-s') * 1000
const maxInFlight = positive('max-in-flight')
const MAX_ATTEMPTS = positive('max-attempts')

const pool = new Pool(flags.target as string, { connections: Math.min(maxInFlight, 32) })
const ingest = createLatencyHistogram()
const endToEnd = createLatencyHistogram()
// refused: answers that asked us to come back (429 / 503), counted apart from the ingest latency, which is
// that of accepted requests only (fast refusals under overload would otherwise lower its p99).
const counts = { sentBatches: 0, acked: 0, failed: 0, retries: 0, refused: 0 }
// Acknowledged events per second of the run, for throughput-over-time charts (bounded: one number a second).
const ackedPerSecond: number[] = []
const errors: string[] = []
const backlog: Batch<IngestEvent>[] = []
let inFlight = 0
let lastAckAt = 0
let drained: (() => void) | undefined

onShutdownRequest(async () => {
  await pool.destroy()
})

const start = performance.now()
// The load's CPU only: starting Node and importing the generator cost ~0.4 s, a tenth of a 3 s step's.
const cpuAtStart = process.cpuUsage()
// The generator's own runtime over the load: is the apparatus keeping up (GC pauses, event-loop delay)?
const runtime = runtimeWindow()
// A line every 5 s for whoever watches a long run: how far along, and what is being acknowledged now.
const progress = setInterval(() => {
  const second = Math.floor((performance.now() - start) / 1000)
  announce({ event: 'progress', elapsedS: second, durationS: durationMs / 1000, ackedLastSecond: ackedPerSecond[second - 1] ?? 0 })
}, 5000)
progress.unref()
const loop = await runOpenLoop(
  { ratePerSecond: rate, durationMs, batchSize: positive('batch-size'), lingerMs: positive('linger-ms') },
  // Events carry wall-clock time (epoch ms); the schedule runs on the monotonic clock.
  (intendedAt) => nextEvent(performance.timeOrigin + intendedAt),
  (batch) => {
    backlog.push(batch)
    pump()
  },
)
if (inFlight > 0 || backlog.length > 0) await new Promise<void>((resolve) => (drained = resolve))
const activeMs = (lastAckAt || performance.now()) - start
clearInterval(progress)
await pool.close()

announce({
  event: 'summary',
  source: flags.source,
  intendedRate: loop.generated / (durationMs / 1000),
  shape,
  generated: loop.generated,
  acked: counts.acked,
  failed: counts.failed,
  retries: counts.retries,
  refused: counts.refused,
  batches: counts.sentBatches,
  activeMs,
  achievedRate: counts.acked / (activeMs / 1000),
  maxGeneratorLagMs: loop.maxLagMs,
  cpuMs: (() => {
    const { user, system } = process.cpuUsage(cpuAtStart)
    return (user + system) / 1000
  })(),
  ackedPerSecond,
  ingestLatency: summarize(ingest),
  endToEndLatency: summarize(endToEnd),
  runtime: runtime.read(),
  errors: errors.slice(0, 5),
})

// Batches wait in `backlog` only when max-in-flight requests are open; their latency keeps counting from
// the events' intended times, so a saturated server shows up as latency, not as a slower offered rate.
function pump(): void {
  while (inFlight < maxInFlight && backlog.length > 0) {
    const batch = backlog.shift() as Batch<IngestEvent>
    inFlight++
    post(batch).finally(() => {
      inFlight--
      pump()
      if (inFlight === 0 && backlog.length === 0) drained?.()
    })
  }
}

async function post(batch: Batch<IngestEvent>): Promise<void> {
  const body = JSON.stringify({ events: batch.events })
  for (let attempt = 1; ; attempt++) {
    const sentAt = performance.now()
    counts.sentBatches++
    try {
      const answer = await postJson(pool, '/ingest', body)
      const doneAt = performance.now()
      if (answer.statusCode === 200) {
        ingest.recordValue(Math.max(1, Math.round((doneAt - sentAt) * 1000)))
        for (const intendedAt of batch.intendedAt) endToEnd.recordValue(Math.max(1, Math.round((doneAt - intendedAt) * 1000)))
        counts.acked += batch.events.length
        lastAckAt = doneAt
        const second = Math.floor((doneAt - start) / 1000)
        while (ackedPerSecond.length <= second) ackedPerSecond.push(0)
        ackedPerSecond[second] = (ackedPerSecond[second] as number) + batch.events.length
        return
      }
      const refused = answer.statusCode === 429 || answer.statusCode === 503
      if (refused) counts.refused++
      if (!(refused || answer.statusCode >= 500) || attempt >= MAX_ATTEMPTS) {
        counts.failed += batch.events.length
        errors.push(`HTTP ${answer.statusCode}: ${answer.text.slice(0, 200)}`)
        return
      }
      counts.retries++
      await sleep(answer.retryAfterS === undefined ? backoffMs(attempt) : answer.retryAfterS * 1000)
    } catch (error) {
      if (attempt >= MAX_ATTEMPTS) {
        counts.failed += batch.events.length
        errors.push(String(error))
        return
      }
      counts.retries++
      await sleep(backoffMs(attempt))
    }
  }
}

function loadShape(): LoadShape {
  const sources = [flags.rate, flags.shape, flags['shape-file']].filter((v) => v !== undefined)
  if (sources.length > 1) fail('give one of --rate, --shape (or LOAD_SHAPE) and --shape-file')
  if (flags.shape === undefined && flags['shape-file'] === undefined) {
    return { pattern: { kind: 'steady', rate: flags.rate === undefined ? 1000 : positive('rate') } }
  }
  const origin = flags.shape === undefined ? `--shape-file ${flags['shape-file']}` : '--shape'
  let data: unknown
  try {
    data = JSON.parse(flags.shape ?? readFileSync(flags['shape-file'] as string, 'utf8'))
  } catch (error) {
    fail(`${origin} is not readable JSON: ${(error as Error).message}`)
  }
  const checked = validateLoadShape(data)
  if (!checked.ok) fail(`${origin} is not a valid load shape: ${checked.problems.join('; ')}`)
  return checked.shape
}

function eventSourceOptions(): EventSourceOptions {
  const mix: EventSourceOptions['mix'] = {}
  for (const part of (flags.mix ?? '').split(',')) {
    const [kind, weight] = part.split('=')
    if ((kind !== 'market' && kind !== 'iot' && kind !== 'log') || !(Number(weight) >= 0)) {
      fail(`--mix takes kind=weight pairs of market, iot and log, e.g. market=6,iot=3,log=1; got '${flags.mix}'`)
    }
    mix[kind] = Number(weight)
  }
  if (!Object.values(mix).some((w) => w > 0)) fail(`--mix needs a positive weight for at least one kind, got '${flags.mix}'`)
  const distribution = flags['size-distribution'] as SizeDistribution['distribution']
  if (!['fixed', 'uniform', 'normal', 'lognormal'].includes(distribution)) {
    fail(`--size-distribution must be fixed, uniform, normal or lognormal, got '${distribution}'`)
  }
  const [min, max] = [positive('size-min'), positive('size-max')]
  if (min > max) fail(`--size-min (${min}) must not exceed --size-max (${max})`)
  const v2Fraction = Number(flags['v2-fraction'])
  if (!(v2Fraction >= 0 && v2Fraction <= 1)) fail(`--v2-fraction must be between 0 and 1, got '${flags['v2-fraction']}'`)
  return { mix, v2Fraction, size: { distribution, min, max }, lateFraction, lateMaxMs: positive('late-max-ms') }
}

function backoffMs(attempt: number): number {
  return Math.min(2000, 25 * 2 ** attempt)
}

function positive(name: string): number {
  const value = Number(flags[name])
  if (!Number.isFinite(value) || value <= 0) fail(`--${name} must be a positive number, got '${flags[name]}'`)
  return value
}

function fail(message: string): never {
  console.error(`generator: ${message}\n${USAGE}`)
  process.exit(2)
}
