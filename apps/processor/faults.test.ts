import { setTimeout as sleep } from 'node:timers/promises'
import pg from 'pg'
import { afterAll, beforeAll, describe, expect, test } from 'vitest'
import { type GeneratorSummary, readPrometheusGauge, runGenerator, startApp } from '../../harness/apps.ts'
import type { StartedApp } from '../../harness/environment.ts'
import { type LocalPostgres, startLocalPostgres } from '../../harness/local/postgres.ts'
import { queryRows } from '../../harness/sql.ts'

// Faults under load, with the real processor, generator and PostgreSQL: what a client sees and what the
// database holds. Each run's figures are printed (`faults: ...`) for the record.
const MAX_ATTEMPTS = 30 // the generator's retries must outlast each outage (backoff up to 2 s)

let postgres: LocalPostgres
beforeAll(async () => {
  postgres = await startLocalPostgres()
}, 120_000)
afterAll(async () => {
  await postgres?.stop()
})

const stored = async (source: string) =>
  Number((await queryRows<{ n: string }>(postgres.url, 'SELECT count(*) AS n FROM market_events WHERE source = $1', [source]))[0]?.n)
const processor = (port = 0, args: string[] = []) => startApp('processor', [`--database-url=${postgres.url}`, ...args], port)

/** Seconds, after the first, in which fewer than half the offered events were acknowledged. */
const outageSeconds = (s: GeneratorSummary, rate: number) =>
  s.ackedPerSecond.slice(1, Math.round(s.activeMs / 1000)).filter((n) => n < rate / 2).length

/** Nothing acknowledged is missing, nothing was given up, and each stored event is stored once. */
async function expectAllStored(summary: GeneratorSummary, source: string): Promise<void> {
  expect({ failed: summary.failed, errors: summary.errors.slice(0, 3) }).toEqual({ failed: 0, errors: [] })
  expect(summary.acked).toBe(summary.generated)
  expect(await stored(source)).toBe(summary.generated)
}

const describeLoad = (what: string, s: GeneratorSummary, rate: number) =>
  `faults: ${what}: ${s.acked} of ${s.generated} acknowledged, ${s.retries} retried (${s.refused} refused), ${s.failed} given up, ` +
  `${outageSeconds(s, rate)} s below half the rate`

describe('faults under load', { timeout: 180_000 }, () => {
  test('the processor SIGKILLed mid-load and restarted on its port: every acknowledged event is stored', async () => {
    let current: StartedApp = await processor()
    const port = Number(new URL(current.url).port)
    try {
      const rate = 20_000
      const load = runGenerator({
        target: current.url,
        ratePerSecond: rate,
        durationSeconds: 12,
        batchSize: 200,
        source: 'sigkill',
        maxAttempts: MAX_ATTEMPTS,
      })
      await sleep(4000)
      const killedAt = performance.now()
      process.kill(current.pid, 'SIGKILL')
      await sleep(200)
      current = await processor(port)
      const backMs = performance.now() - killedAt
      const summary = await load
      console.log(
        `${describeLoad('processor SIGKILL at 4 s of 12 s', summary, rate)}; serving again ${Math.round(backMs)} ms after the kill`,
      )
      expect(summary.retries).toBeGreaterThan(0)
      await expectAllStored(summary, 'sigkill')
    } finally {
      await current.stop()
    }
  })

  test('PostgreSQL stopped mid-load: 503 while it is gone, reconnected by itself after, nothing lost', async () => {
    const app = await processor()
    try {
      const rate = 5000
      const load = runGenerator({
        target: app.url,
        ratePerSecond: rate,
        durationSeconds: 12,
        batchSize: 100,
        source: 'pg-restart',
        maxAttempts: MAX_ATTEMPTS,
      })
      await sleep(4000)
      await postgres.stopServer()
      let upMs: number
      let probe: Response
      try {
        probe = await fetch(`${app.url}/ingest`, {
          method: 'POST',
          headers: { 'content-type': 'application/json' },
          body: JSON.stringify({ events: [{ kind: 'market', source: 'probe', seq: 1, ts: Date.now(), symbol: 'A', price: 1, volume: 1 }] }),
        })
        await sleep(2000)
      } finally {
        const restarted = performance.now()
        await postgres.startServer() // whatever happened, the next test has its database
        upMs = performance.now() - restarted
      }
      const summary = await load
      console.log(`${describeLoad('PostgreSQL down 2 s at 4 s of 12 s', summary, rate)}; PostgreSQL up again in ${Math.round(upMs)} ms`)
      expect(probe.status).toBe(503)
      expect(probe.headers.get('retry-after')).toBe('1')
      expect(await probe.json()).toMatchObject({ error: 'database unavailable' })
      expect(summary.refused).toBeGreaterThan(0)
      await expectAllStored(summary, 'pg-restart')
      // After the outage the processor serves at the offered rate again, on new connections of its own.
      expect(summary.ackedPerSecond.slice(9, 11).every((n) => n > rate * 0.8)).toBe(true)
    } finally {
      await app.stop()
    }
  })

  test('PostgreSQL held up by a lock: the processor refuses with 503 at its queue bound, memory stays bounded, and it recovers', async () => {
    // Below what the generator keeps in flight (about 10 requests of 100 here), so a stalled database fills it.
    const queueMax = 500
    const app = await processor(0, [`--queue-max=${queueMax}`])
    const locker = new pg.Client({ connectionString: postgres.url })
    await locker.connect()
    try {
      const rate = 5000
      const loadStarted = performance.now()
      const load = runGenerator({
        target: app.url,
        ratePerSecond: rate,
        durationSeconds: 12,
        batchSize: 100,
        source: 'pg-lock',
        maxAttempts: MAX_ATTEMPTS,
      })
      await sleep(3000)
      await locker.query('BEGIN')
      await locker.query('LOCK TABLE market_events IN ACCESS EXCLUSIVE MODE')
      let deepest = 0
      for (const until = Date.now() + 5000; Date.now() < until; await sleep(100))
        deepest = Math.max(deepest, await readPrometheusGauge(app.url, 'processor_queue_events'))
      const releasedS = (performance.now() - loadStarted) / 1000
      await locker.query('COMMIT')
      const summary = await load
      const rssMiB = (await readPrometheusGauge(app.url, 'processor_max_resident_memory_bytes')) / 2 ** 20
      const recovered = summary.ackedPerSecond.findIndex((n, second) => second >= Math.ceil(releasedS) && n >= rate * 0.9)
      console.log(
        `${describeLoad('a table lock held 5 s at 3 s of 12 s', summary, rate)}; queue at most ${deepest} events (bound ${queueMax}), ` +
          `peak RSS ${rssMiB.toFixed(0)} MiB; lock released at ${releasedS.toFixed(1)} s, at 90% of the rate again in second ${recovered}`,
      )
      expect(deepest).toBeLessThanOrEqual(queueMax)
      expect(deepest).toBeGreaterThan(queueMax / 2)
      expect(summary.refused).toBeGreaterThan(0)
      expect(rssMiB).toBeLessThan(400)
      await expectAllStored(summary, 'pg-lock')
    } finally {
      await locker.end()
      await app.stop()
    }
  })
})
