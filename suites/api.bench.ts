import autocannon from 'autocannon'
import { expect } from 'vitest'
import { migrate, RESULTS_MIGRATIONS } from '../apps/shared/migrate.ts'
import { openPool } from '../apps/shared/pool.ts'
import { test } from '../harness/fixtures.ts'
import { runPipeline } from '../harness/pipeline-run.ts'
import { runtimeMetrics, runtimeWindowOf } from '../harness/runtime-metrics.ts'

// The query API under closed-loop HTTP load (autocannon: as many requests as 16 connections complete),
// over a database the pipeline just filled and a history of recorded runs. Only throughput is recorded: autocannon's latencies are whole
// milliseconds, and closed-loop latencies hide queueing; open-model µs latencies are the pipeline suites'.
const SECONDS = 5
const CONNECTIONS = 16
/** The runs list is read over a history of this many recorded runs, as a team's results database holds. */
const RECORDED_RUNS = 2000

/** Fills bench_runs as `pnpm bench` does, with a run document of a real run's size (~55 metrics). */
async function recordRuns(url: string, count: number): Promise<void> {
  const pool = openPool({ connectionString: url, max: 1 })
  try {
    await migrate(pool, RESULTS_MIGRATIONS)
    const metrics = Array.from({ length: 55 }, (_, i) => ({ key: `scenario › metric ${i}`, value: i * 1.5, verdict: 'unchanged' }))
    await pool.query(
      `INSERT INTO bench_runs (started_at, finished_at, mode, git_commit, environment, summary, report)
       SELECT now() - make_interval(mins => n), now() - make_interval(mins => n) + interval '2 minutes', 'baseline',
              md5(n::text), '{"profile": "local"}', '{"regressed": 0, "unchanged": 55}', jsonb_build_object('metrics', $1::jsonb)
       FROM generate_series(1, $2) AS n`,
      [JSON.stringify(metrics), count],
    )
  } finally {
    await pool.end()
  }
}

test('query API: per-symbol windows and the runs list under load', async ({ api, processor, postgres, record }) => {
  await runPipeline(processor, postgres, { ratePerSecond: 5_000, durationSeconds: 3, source: 'api-load' })
  await recordRuns(postgres.url, RECORDED_RUNS)
  const now = Date.now()
  const window = new URLSearchParams({ symbol: 'ACME', from: new Date(now - 60_000).toISOString(), to: new Date(now).toISOString() })
  for (const [name, path] of [
    ['market windows (last minute)', `/api/v1/aggregates/market?${window}`],
    ['runs list', '/api/v1/runs?limit=20'],
  ] as const) {
    const runtime = await runtimeWindowOf(api.url)
    const result = await autocannon({
      url: `${api.url}${path}`,
      connections: CONNECTIONS,
      duration: SECONDS,
    })
    expect(result.non2xx + result.errors).toBe(0)
    if (name === 'runs list') expect(((await (await fetch(`${api.url}${path}`)).json()) as { runs: unknown[] }).runs).toHaveLength(20)
    console.log(`api ${name}: ${Math.round(result.requests.average)} requests/s, ${CONNECTIONS} connections, ${SECONDS} s`)
    record({ name: `${name} requests/s`, value: result.requests.average, unit: 'requests/s', direction: 'higher', tolerance: 0.2 })
    for (const metric of runtimeMetrics('API', await runtime.read())) record({ ...metric, name: `${name}: ${metric.name}` })
  }
})
