import autocannon from 'autocannon'
import { expect } from 'vitest'
import { test } from '../harness/fixtures.ts'
import { runPipeline } from '../harness/pipeline-run.ts'

// The query API under closed-loop HTTP load (autocannon: as many requests as 16 connections complete),
// over a database the pipeline just filled. Only throughput is recorded: autocannon's latencies are whole
// milliseconds, and closed-loop latencies hide queueing; open-model µs latencies are the pipeline suites'.
const SECONDS = 5
const CONNECTIONS = 16

test('query API: per-symbol windows and the runs list under load', async ({ api, processor, postgres, record }) => {
  await runPipeline(processor, postgres, { ratePerSecond: 5_000, durationSeconds: 3, source: 'api-load' })
  const now = Date.now()
  const window = new URLSearchParams({ symbol: 'ACME', from: new Date(now - 60_000).toISOString(), to: new Date(now).toISOString() })
  for (const [name, path] of [
    ['market windows (last minute)', `/api/v1/aggregates/market?${window}`],
    ['runs list', '/api/v1/runs?limit=20'],
  ] as const) {
    const result = await autocannon({
      url: `${api.url}${path}`,
      connections: CONNECTIONS,
      duration: SECONDS,
    })
    expect(result.non2xx + result.errors).toBe(0)
    console.log(`api ${name}: ${Math.round(result.requests.average)} requests/s, ${CONNECTIONS} connections, ${SECONDS} s`)
    record({ name: `${name} requests/s`, value: result.requests.average, unit: 'requests/s', direction: 'higher', tolerance: 0.2 })
  }
})
