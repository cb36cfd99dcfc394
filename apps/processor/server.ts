import Fastify, { type FastifyError, type FastifyInstance } from 'fastify'
import { serveRuntimeWindow } from '../shared/runtime-window.ts'
import { BodyError, registerBodyParsers } from './body-parsers.ts'
import { type CommitBatcher, QueueFullError } from './commit-batcher.ts'
import { isDatabaseUnavailable, isDataRefusal, refusedPath } from './database-errors.ts'
import type { IngestEvent } from './events.ts'
import type { ProcessorMetrics } from './metrics.ts'
import { repeatedKey } from './repeated-key.ts'
import { validateBatch } from './validate.ts'
import type { Written } from './writers.ts'

export interface ServerDeps {
  batcher: CommitBatcher<IngestEvent, Written>
  metrics: ProcessorMetrics
  bodyLimitBytes: number
  isReady: () => boolean
  /** While shutting down: answers close their connection, so a client's next request goes elsewhere. */
  isDraining: () => boolean
}

/**
 * POST /ingest  {"events": [...]} as JSON, or NDJSON  ->  200 {"accepted": n, "stored": k} once all n are
 * committed, k of them new (the others' keys were stored before, and the first contents stay). A batch is
 * all or nothing:
 *   400  the first bad field, NDJSON line, or the second event of a repeated (source, seq)
 *   413  a body over the byte limit, or more than MAX_EVENTS_PER_BATCH events
 *   415  another content type
 *   422  PostgreSQL refused the batch's data (a constraint or a value): the event and field it names; the
 *        other requests of its commit are committed without it
 *   503  + Retry-After: the queue is full, or PostgreSQL is unreachable
 *   500  the write failed otherwise
 * Nothing of a refused batch is acknowledged: resend it, and (source, seq) de-duplicates.
 */
export function buildServer({ batcher, metrics, bodyLimitBytes, isReady, isDraining }: ServerDeps): FastifyInstance {
  const plant = plantedRegression()
  const app = Fastify({ bodyLimit: bodyLimitBytes, logger: false })
  registerBodyParsers(app)
  // Callback style, not async: it runs on every answer, and an async hook costs a promise each.
  app.addHook('onSend', (_request, reply, payload, done) => {
    if (isDraining()) reply.header('connection', 'close')
    done(null, payload)
  })
  // Every refusal is JSON that says what is wrong; fastify's own (413 too large, 415 content type) included.
  app.setErrorHandler((error: FastifyError, _request, reply) => {
    const status = error.statusCode ?? 500
    const reason = status === 413 ? 'too_large' : status === 415 ? 'content_type' : status < 500 ? 'malformed' : 'error'
    metrics.rejected.inc({ reason })
    const line = error instanceof BodyError && error.line !== undefined ? { line: error.line } : {}
    const message =
      status === 415 ? 'Send application/json ({"events": [...]}) or application/x-ndjson (one event per line).' : error.message
    return reply.code(status).send({ error: reason, message, ...line })
  })

  app.post('/ingest', async (request, reply) => {
    const result = validateBatch(request.body)
    if (!result.ok) {
      // Too many events in one batch is a size problem, like a body over the byte limit.
      const tooMany = result.error.tooLarge
      metrics.rejected.inc({ reason: tooMany ? 'too_large' : 'invalid' })
      return reply
        .code(tooMany ? 413 : 400)
        .send({ error: tooMany ? 'too_large' : 'invalid batch', path: result.error.path, message: result.error.message })
    }
    const { events } = result.batch
    const repeated = repeatedKey(events)
    if (repeated) {
      metrics.rejected.inc({ reason: 'invalid' })
      const { source, seq } = events[repeated.again] as IngestEvent
      const path = `/events/${repeated.again}`
      const message = `${path}: (source ${JSON.stringify(source)}, seq ${seq}) is also /events/${repeated.first}; a key names one event, send it once`
      return reply.code(400).send({ error: 'invalid batch', path, message })
    }
    metrics.received.inc(events.length)
    if (plant.cpuUsPerEvent > 0) spendPlantedCpu(plant.cpuUsPerEvent * events.length)
    let written: Written
    try {
      written = await batcher.submit(events)
    } catch (error) {
      if (error instanceof QueueFullError) {
        metrics.rejected.inc({ reason: 'queue_full' })
        return reply.code(503).header('retry-after', '1').send({ error: 'overloaded', message: error.message })
      }
      if (isDataRefusal(error)) {
        metrics.rejected.inc({ reason: 'refused' })
        const path = refusedPath(error, events)
        const message = `${path}: the database refused it: ${(error as Error).message}`
        return reply.code(422).send({ error: 'refused by the database', path, message })
      }
      if (isDatabaseUnavailable(error)) {
        metrics.rejected.inc({ reason: 'database_unavailable' })
        const message = `PostgreSQL is unavailable (${(error as Error).message}); nothing of this batch was acknowledged: retry.`
        return reply.code(503).header('retry-after', '1').send({ error: 'database unavailable', message })
      }
      metrics.rejected.inc({ reason: 'write_failed' })
      request.log.error(error)
      return reply.code(500).send({ error: 'write failed', message: 'The batch was not committed; resend it.' })
    }
    metrics.committed.inc(events.length)
    const ackedAt = Date.now()
    for (const event of events) metrics.eventLatency.observe(Math.max(0, ackedAt - event.ts) / 1000)
    if (plant.ackDelayMs > 0) await new Promise((resolve) => setTimeout(resolve, plant.ackDelayMs))
    if (plant.leakBytesPerEvent > 0) leaked.push(Buffer.alloc(plant.leakBytesPerEvent * events.length, 1))
    // Already stored keys keep their first contents: a resend, or another event under a stored key.
    let stored = 0
    for (const event of events) if (written.isNew(event)) stored++
    return { accepted: events.length, stored }
  })

  app.get('/healthz', async (_request, reply) => (isReady() ? { status: 'ok' } : reply.code(503).send({ status: 'starting' })))

  app.get('/metrics', async (_request, reply) =>
    reply.header('content-type', metrics.registry.contentType).send(await metrics.registry.metrics()),
  )
  serveRuntimeWindow(app)

  return app
}

/**
 * For scripts/gate-experiment.ts only: known regressions planted in the head's processor, to measure what
 * the paired gate finds. BENCH_PLANT_CPU_US_PER_EVENT busy-waits that long per event (less capacity, more
 * CPU per event); BENCH_PLANT_ACK_DELAY_MS holds each acknowledgement that long (higher latencies);
 * BENCH_PLANT_LEAK_BYTES_PER_EVENT keeps that many bytes per event forever (a leak for the soak suite). All
 * 0 unless set; `pnpm bench --against` sets every BENCH_PLANT_* to 0 on the base side. Never set in CI.
 */
function plantedRegression() {
  const read = (name: string) => Math.max(0, Number(process.env[name] ?? 0) || 0)
  return {
    cpuUsPerEvent: read('BENCH_PLANT_CPU_US_PER_EVENT'),
    ackDelayMs: read('BENCH_PLANT_ACK_DELAY_MS'),
    leakBytesPerEvent: read('BENCH_PLANT_LEAK_BYTES_PER_EVENT'),
  }
}
/** BENCH_PLANT_CPU_US_PER_EVENT's busy wait, a function of its own: a paired run's CPU profiles should name it. */
function spendPlantedCpu(microseconds: number): void {
  for (const until = performance.now() + microseconds / 1000; performance.now() < until; );
}

/** What BENCH_PLANT_LEAK_BYTES_PER_EVENT keeps. */
const leaked: Buffer[] = []
