import http from 'node:http'
import { setTimeout as sleep } from 'node:timers/promises'
import { expect } from 'vitest'
import { runGenerator } from '../../harness/apps.ts'
import { describeEachImplementation, test } from '../../harness/fixtures.ts'
import { queryRows } from '../../harness/sql.ts'

describeEachImplementation('shutdown', {}, (implementation) => {
  test('SIGTERM in the middle of a load loses no acknowledged event', { timeout: 60_000 }, async ({ startProcessor, postgres }) => {
    const processor = await startProcessor()
    const load = runGenerator({
      target: processor.url,
      ratePerSecond: 5000,
      durationSeconds: 3,
      batchSize: 100,
      source: `sigterm-${implementation}`,
      maxAttempts: 2,
    })
    await sleep(1500)
    const stopping = performance.now()
    await processor.stop() // SIGTERM: stop accepting, commit what is queued, answer, exit
    // By itself, well inside the 10 s after which the harness kills it (the Rust one's runtime once waited
    // there for its stdin reader).
    expect(performance.now() - stopping).toBeLessThan(5000)
    const summary = await load

    const [row] = await queryRows<{ n: string; distinct_seq: string }>(
      postgres.url,
      'SELECT count(*) AS n, count(DISTINCT seq) AS distinct_seq FROM market_events WHERE source = $1',
      [`sigterm-${implementation}`],
    )
    // The generator got acknowledgements for roughly the first 1.5 s, then only refusals.
    expect(summary.acked).toBeGreaterThan(2000)
    expect(summary.failed).toBeGreaterThan(0)
    expect(summary.acked + summary.failed).toBe(summary.generated)
    // At least once: every acknowledged event is stored (a commit whose answer was cut off may add more), once.
    expect(Number(row?.n)).toBeGreaterThanOrEqual(summary.acked)
    expect(Number(row?.distinct_seq)).toBe(Number(row?.n))
  })

  test('--shutdown-drain-ms: after SIGTERM it still answers for that long, each answer closing its connection', {
    timeout: 60_000,
  }, async ({ startProcessor }) => {
    const processor = await startProcessor({ args: ['--shutdown-drain-ms', '2000'] })
    const agent = new http.Agent({ keepAlive: true })
    const get = (path: string) =>
      new Promise<{ status: number; connection: string | undefined }>((resolve, reject) => {
        http
          .get(`${processor.url}${path}`, { agent }, (response) => {
            response.resume()
            response.on('end', () => resolve({ status: response.statusCode ?? 0, connection: response.headers.connection }))
          })
          .on('error', reject)
      })
    expect(await get('/healthz')).toEqual({ status: 200, connection: 'keep-alive' })
    process.kill(processor.pid, 'SIGTERM')
    await sleep(300)
    // Not ready any more (the Service drops it), yet answering, and telling the client to reconnect elsewhere.
    expect(await get('/healthz')).toEqual({ status: 503, connection: 'close' })
    expect(await get('/metrics')).toEqual({ status: 200, connection: 'close' })
    await sleep(2500)
    await expect(get('/healthz')).rejects.toThrow(/ECONNREFUSED/)
    agent.destroy()
  })
})
