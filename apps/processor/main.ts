import { parseArgs } from 'node:util'
import { announce, onShutdownRequest } from '../shared/lifecycle.ts'
import { migrate } from '../shared/migrate.ts'
import { CommitBatcher } from './commit-batcher.ts'
import { isDataRefusal } from './database-errors.ts'
import type { IngestEvent } from './events.ts'
import { createProcessorMetrics } from './metrics.ts'
import { LatenessFilter } from './ohlc.ts'
import { buildServer } from './server.ts'
import { createPool, createWriter, STRATEGIES, type Strategy, type Written } from './writers.ts'

// Flags override environment variables; both are listed by --help.
const { values: flags } = parseArgs({
  options: {
    port: { type: 'string', default: process.env.PORT ?? '8080' },
    host: { type: 'string', default: process.env.HOST ?? '127.0.0.1' },
    'database-url': { type: 'string', default: process.env.DATABASE_URL },
    'batch-max': { type: 'string', default: process.env.BATCH_MAX ?? '2000' },
    'linger-ms': { type: 'string', default: process.env.LINGER_MS ?? '5' },
    'queue-max': { type: 'string', default: process.env.QUEUE_MAX ?? '100000' },
    'db-connections': { type: 'string', default: process.env.DB_CONNECTIONS ?? '4' },
    strategy: { type: 'string', default: process.env.STRATEGY ?? 'optimized' },
    'allowed-lateness-ms': { type: 'string', default: process.env.ALLOWED_LATENESS_MS ?? '5000' },
    'alert-celsius': { type: 'string', default: process.env.ALERT_CELSIUS ?? '80' },
    'body-limit-bytes': { type: 'string', default: process.env.BODY_LIMIT_BYTES ?? String(16 * 1024 * 1024) },
    'shutdown-drain-ms': { type: 'string', default: process.env.SHUTDOWN_DRAIN_MS ?? '0' },
    help: { type: 'boolean', default: false },
  },
})

if (flags.help) {
  console.log(
    'processor [--port PORT] [--host HOST] --database-url URL [--strategy naive|optimized] [--batch-max N] [--linger-ms MS]\n' +
      '          [--queue-max N] [--db-connections N] [--body-limit-bytes N]\n          [--allowed-lateness-ms MS] [--alert-celsius C] [--shutdown-drain-ms MS]\n' +
      'Environment: PORT HOST DATABASE_URL STRATEGY BATCH_MAX LINGER_MS QUEUE_MAX DB_CONNECTIONS BODY_LIMIT_BYTES ALLOWED_LATENESS_MS ALERT_CELSIUS\n' +
      '             SHUTDOWN_DRAIN_MS',
  )
  process.exit(0)
}

const databaseUrl = flags['database-url']
if (!databaseUrl) {
  console.error('processor: set --database-url or DATABASE_URL to a PostgreSQL connection string.')
  process.exit(2)
}

if (!(STRATEGIES as readonly string[]).includes(flags.strategy as string)) {
  console.error(`processor: --strategy must be one of ${STRATEGIES.join(', ')}, got '${flags.strategy}'.`)
  process.exit(2)
}
const dbConnections = positiveInt('db-connections', flags['db-connections'])
const pool = createPool(databaseUrl, dbConnections)
const lateness = new LatenessFilter(positiveInt('allowed-lateness-ms', flags['allowed-lateness-ms'], true), (n) => metrics.late.inc(n))
const alertCelsius = Number(flags['alert-celsius'])
if (!Number.isFinite(alertCelsius)) {
  console.error(`processor: --alert-celsius must be a number, got '${flags['alert-celsius']}'.`)
  process.exit(2)
}
const write = createWriter(flags.strategy as Strategy, pool, { onTime: (events) => lateness.onTime(events), alertCelsius })
let ready = false
let draining = false
const shutdownDrainMs = positiveInt('shutdown-drain-ms', flags['shutdown-drain-ms'], true)
const batcher = new CommitBatcher<IngestEvent, Written>({
  maxBatchItems: positiveInt('batch-max', flags['batch-max']),
  lingerMs: positiveInt('linger-ms', flags['linger-ms']),
  maxQueuedItems: positiveInt('queue-max', flags['queue-max']),
  maxConcurrentCommits: dbConnections,
  commit: async (events) => {
    const end = metrics.commitSeconds.startTimer()
    const written = await write(events)
    end()
    return written
  },
  // One producer's refused data must not fail the other requests that share its commit.
  isolate: isDataRefusal,
})
const metrics = createProcessorMetrics(() => batcher.queuedItems)
const server = buildServer({
  batcher,
  metrics,
  bodyLimitBytes: positiveInt('body-limit-bytes', flags['body-limit-bytes']),
  isReady: () => ready,
  isDraining: () => draining,
})

onShutdownRequest(async (reason) => {
  // Stop taking requests, let the ones in flight commit and answer, then close the database.
  console.error(`processor: ${reason}, draining ${batcher.queuedItems} queued events`)
  ready = false
  // A client's kept-alive connection would get a 503 once the server closes (or a reset, racing the close).
  // For --shutdown-drain-ms first every answer says `Connection: close`, so clients reconnect elsewhere.
  draining = true
  if (shutdownDrainMs > 0) await new Promise((resolve) => setTimeout(resolve, shutdownDrainMs))
  await server.close()
  await batcher.drain()
  await pool.end()
})

await migrate(pool)
const address = await server.listen({ port: positiveInt('port', flags.port, true), host: flags.host })
ready = true
announce({ event: 'listening', port: Number(new URL(address).port) })

function positiveInt(name: string, raw: string | undefined, zeroAllowed = false): number {
  const value = Number(raw)
  if (!Number.isInteger(value) || value < (zeroAllowed ? 0 : 1)) {
    console.error(`processor: --${name} must be a ${zeroAllowed ? 'non-negative' : 'positive'} integer, got '${raw}'.`)
    process.exit(2)
  }
  return value
}
