import { setTimeout as sleep } from 'node:timers/promises'
import { Pool } from 'undici'
import type { IngestEvent } from '../processor/events.ts'
import { announce } from '../shared/lifecycle.ts'
import { runtimeWindow } from '../shared/runtime-window.ts'
import { createEventSource } from './event-source.ts'
import { createLatencyHistogram, summarize } from './latency.ts'
import { type Batch, runOpenLoop } from './open-loop.ts'
import { postJson } from './post-json.ts'
import { rateFunction } from './rate-pattern.ts'
import type { LoadSettings } from './settings.ts'

/** The pool of the load under way, so that a shutdown request can close its connections. */
let current: Pool | undefined

export async function closeCurrentLoad(): Promise<void> {
  await current?.destroy()
}

/** Drives one open-loop load to its end and returns its summary (the fields of the summary line). */
export async function runLoad(settings: LoadSettings): Promise<Record<string, unknown>> {
  const { durationMs, maxInFlight, maxAttempts } = settings
  const nextEvent = createEventSource(settings.source, settings.seed, settings.events)
  const rate = rateFunction(settings.shape, settings.seed)
  const pool = new Pool(settings.target, { connections: Math.min(maxInFlight, 32) })
  current = pool
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

  const start = performance.now()
  // The load's CPU only: starting Node and importing the generator cost ~0.4 s, a tenth of a 3 s step's.
  const cpuAtStart = process.cpuUsage()
  // The generator's own runtime over the load: is the apparatus keeping up (GC pauses, event-loop delay)?
  const runtime = runtimeWindow()
  // A line every 5 s for whoever watches a long run: how far along, and what is being acknowledged now.
  const progress = setInterval(() => {
    const second = Math.floor((performance.now() - start) / 1000)
    announce({
      event: 'progress',
      source: settings.source,
      elapsedS: second,
      durationS: durationMs / 1000,
      ackedLastSecond: ackedPerSecond[second - 1] ?? 0,
    })
  }, 5000)
  progress.unref()
  const loop = await runOpenLoop(
    { ratePerSecond: rate, durationMs, batchSize: settings.batchSize, lingerMs: settings.lingerMs },
    // Events carry wall-clock time (epoch ms); the schedule runs on the monotonic clock.
    (intendedAt) => nextEvent(performance.timeOrigin + intendedAt),
    (batch) => {
      backlog.push(batch)
      pump()
    },
  )
  if (inFlight > 0 || backlog.length > 0) await new Promise<void>((resolve) => (drained = resolve))
  const activeMs = (lastAckAt || performance.now()) - start
  const { user, system } = process.cpuUsage(cpuAtStart)
  clearInterval(progress)
  await pool.close()
  current = undefined

  return {
    source: settings.source,
    intendedRate: loop.generated / (durationMs / 1000),
    shape: settings.shape,
    generated: loop.generated,
    acked: counts.acked,
    failed: counts.failed,
    retries: counts.retries,
    refused: counts.refused,
    batches: counts.sentBatches,
    activeMs,
    achievedRate: counts.acked / (activeMs / 1000),
    maxGeneratorLagMs: loop.maxLagMs,
    cpuMs: (user + system) / 1000,
    ackedPerSecond,
    ingestLatency: summarize(ingest),
    endToEndLatency: summarize(endToEnd),
    runtime: runtime.read(),
    errors: errors.slice(0, 5),
  }

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
        if (!(refused || answer.statusCode >= 500) || attempt >= maxAttempts) {
          counts.failed += batch.events.length
          errors.push(`HTTP ${answer.statusCode}: ${answer.text.slice(0, 200)}`)
          return
        }
        counts.retries++
        await sleep(answer.retryAfterS === undefined ? backoffMs(attempt) : answer.retryAfterS * 1000)
      } catch (error) {
        if (attempt >= maxAttempts) {
          counts.failed += batch.events.length
          errors.push(String(error))
          return
        }
        counts.retries++
        await sleep(backoffMs(attempt))
      }
    }
  }
}

function backoffMs(attempt: number): number {
  return Math.min(2000, 25 * 2 ** attempt)
}
