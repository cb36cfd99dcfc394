import { describe, expect } from 'vitest'
import { startApp } from '../../harness/apps.ts'
import { test } from '../../harness/fixtures.ts'
import { RESULTS_DATABASE_ENV, withHistory } from '../../reporters/history.ts'
import { syntheticResults } from '../../reporters/synthetic-results.ts'
import { openReportStore } from '../operator/report-store.ts'
import { testBenchmark } from '../operator/test-benchmark.ts'
import { liveMessages } from './live-messages.ts'

// The real API process, reading what the real harness and processor wrote to a real PostgreSQL.
const base = new Date('2026-11-23T10:00:00.000Z').getTime()
const tick = (seq: number, offsetMs: number, price: number, volume: number) => ({
  kind: 'market',
  source: 'api-test',
  seq,
  ts: base + offsetMs,
  symbol: 'ACME',
  price,
  volume,
})

const ingest = (url: string, events: unknown[]) =>
  fetch(`${url}/ingest`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ events }) })

describe('api', { timeout: 60_000 }, () => {
  test('serves benchmark runs and reports that the harness recorded', async ({ postgres, processor }) => {
    process.env[RESULTS_DATABASE_ENV] = postgres.url
    try {
      const recorded = await withHistory(syntheticResults(), process.cwd())
      expect(recorded.environmentNotes).toEqual([])
    } finally {
      delete process.env[RESULTS_DATABASE_ENV]
    }
    await using api = await startApp('api', [`--database-url=${postgres.url}`, `--processor-url=${processor.url}`])
    const { runs } = (await (await fetch(`${api.url}/api/v1/runs`)).json()) as { runs: { id: number; mode: string }[] }
    expect(runs).toHaveLength(1)
    expect(runs[0]?.mode).toBe('baseline')
    const report = (await (await fetch(`${api.url}/api/v1/runs/${runs[0]?.id}/report`)).json()) as { suites: unknown[] }
    expect(report.suites).toHaveLength(1)

    const missing = await fetch(`${api.url}/api/v1/runs/999999/report`)
    expect(missing.status).toBe(404)
    expect(await missing.json()).toEqual({ error: 'no benchmark run 999999' })
    const bad = await fetch(`${api.url}/api/v1/runs/abc/report`)
    expect(bad.status).toBe(400)
    expect(((await bad.json()) as { error: string }).error).toMatch(/params\/id must be integer/)
  })

  test("serves a PipelineBenchmark's latest report as the operator stored it", async ({ postgres }) => {
    await using api = await startApp('api', [`--database-url=${postgres.url}`])
    expect((await fetch(`${api.url}/api/v1/benchmarks/bench/run`)).status).toBe(404) // before any report, even the table
    const reports = await openReportStore(postgres.url)
    const cr = testBenchmark()
    await reports.save(cr, { phase: 'Failed' })
    await reports.save(
      { ...cr, metadata: { ...cr.metadata, generation: 2 } },
      { phase: 'Completed', summary: { throughputPerSecond: 990, p99Ms: 12, peakMemoryMiB: 80, cpu: 0.2 } },
    )
    await reports.close()
    const report = (await (await fetch(`${api.url}/api/v1/benchmarks/bench/run`)).json()) as Record<string, unknown>
    expect(report).toMatchObject({ namespace: 'bench', name: 'run', generation: 2, phase: 'Completed', spec: cr.spec })
    expect(report.status).toMatchObject({ summary: { throughputPerSecond: 990 } })
    const other = await fetch(`${api.url}/api/v1/benchmarks/bench/other`)
    expect(other.status).toBe(404)
    expect(await other.json()).toEqual({ error: 'no report of the PipelineBenchmark bench/other' })
    expect((await fetch(`${api.url}/api/v1/benchmarks/Bench_1/run`)).status).toBe(400) // not a Kubernetes name
  })

  test('serves per-symbol 1 s windows with VWAP from what the processor committed', async ({ postgres, processor }) => {
    const events = [tick(0, 100, 10, 1), tick(1, 500, 12, 3), tick(2, 1200, 11, 2)]
    expect((await ingest(processor.url, events)).status).toBe(200)
    await using api = await startApp('api', [`--database-url=${postgres.url}`])
    const query = new URLSearchParams({ symbol: 'ACME', from: new Date(base).toISOString(), to: new Date(base + 2000).toISOString() })
    const body = (await (await fetch(`${api.url}/api/v1/aggregates/market?${query}`)).json()) as {
      windows: { open: number; high: number; close: number; volume: number; vwap: number }[]
    }
    expect(body.windows).toHaveLength(2)
    expect(body.windows[0]).toMatchObject({ open: 10, high: 12, close: 12, volume: 4 })
    expect(body.windows[0]?.vwap).toBeCloseTo((10 * 1 + 12 * 3) / 4)

    const backwards = new URLSearchParams({ symbol: 'ACME', from: new Date(base + 2000).toISOString(), to: new Date(base).toISOString() })
    const refused = await fetch(`${api.url}/api/v1/aggregates/market?${backwards}`)
    expect(refused.status).toBe(400)
    expect(await refused.json()).toEqual({ error: 'querystring/to must be after querystring/from' })
    const noSymbol = await fetch(`${api.url}/api/v1/aggregates/market?from=${query.get('from')}&to=${query.get('to')}`)
    expect(noSymbol.status).toBe(400)
    expect(((await noSymbol.json()) as { error: string }).error).toContain("must have required property 'symbol'")
  })

  test('serves per-device IoT statistics with alerts and per-service log error rates', async ({ postgres, processor }) => {
    const reading = (seq: number, offsetMs: number, temperature: number) => ({
      kind: 'iot',
      source: 'api-iot',
      seq,
      ts: base + offsetMs,
      device: 'dev-7',
      temperature,
      humidity: 50,
      readings: [1],
    })
    const log = (seq: number, level: string) => ({
      kind: 'log',
      source: 'api-log',
      seq,
      ts: base + 100 * seq,
      level,
      service: 'auth',
      message: 'm',
    })
    const events = [
      reading(0, 100, 20),
      reading(1, 600, 90),
      reading(2, 1100, 30),
      log(0, 'info'),
      log(1, 'error'),
      log(2, 'info'),
      log(3, 'error'),
    ]
    expect((await ingest(processor.url, events)).status).toBe(200)
    await using api = await startApp('api', [`--database-url=${postgres.url}`])
    const range = { from: new Date(base).toISOString(), to: new Date(base + 2000).toISOString() }
    const iot = (await (await fetch(`${api.url}/api/v1/aggregates/iot?${new URLSearchParams({ device: 'dev-7', ...range })}`)).json()) as {
      windows: { readings: number; temp_avg: number; temp_max: number; alerts: number; rolling_60s_readings: number }[]
    }
    expect(iot.windows).toMatchObject([
      { readings: 2, temp_avg: 55, temp_max: 90, alerts: 1, rolling_60s_readings: 2 },
      { readings: 1, temp_avg: 30, alerts: 0, rolling_60s_readings: 3 },
    ])
    const logs = (await (
      await fetch(`${api.url}/api/v1/aggregates/logs?${new URLSearchParams({ service: 'auth', ...range })}`)
    ).json()) as {
      windows: { total: number; errors: number; error_rate: number }[]
    }
    expect(logs.windows).toMatchObject([{ total: 4, errors: 2, error_rate: 0.5 }])
  })

  test('pushes the processor live over WebSocket at the asked interval', async ({ postgres, processor }) => {
    await using api = await startApp('api', [`--database-url=${postgres.url}`, `--processor-url=${processor.url}`])
    const messages = await liveMessages(api.url, 3, 100)
    // At the asked 100 ms, not the default 500 ms (which would put the third push 1 s after the first).
    const at = messages.map((m) => Date.parse(String(m.at)))
    expect((at[2] as number) - (at[0] as number)).toBeLessThan(900)
    for (const m of messages)
      expect(Object.keys(m).sort()).toEqual([
        'at',
        'commitP99Ms',
        'committedPerSecond',
        'endToEndP99Ms',
        'processor',
        'queueDepth',
        'residentMemoryBytes',
      ])
    expect(messages[2]?.residentMemoryBytes).toBeGreaterThan(0)
    const metrics = await (await fetch(`${api.url}/metrics`)).text()
    expect(metrics).toContain('api_request_duration_seconds_bucket')
  })
})
