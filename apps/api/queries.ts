import type pg from 'pg'

// The API's reads. Tables: bench_runs / bench_metrics / operator_reports (apps/shared/results-migrations) and
// market_ohlc_1s_vwap (apps/processor/migrations).

export async function listRuns(pool: pg.Pool, limit: number, offset: number) {
  const { rows } = await pool.query(
    `SELECT id::int AS id, started_at, finished_at, mode, git_commit, summary, environment->>'profile' AS profile
     FROM bench_runs ORDER BY id DESC LIMIT $1 OFFSET $2`,
    [limit, offset],
  )
  return rows
}

export async function runReport(pool: pg.Pool, id: number): Promise<unknown | undefined> {
  const { rows } = await pool.query<{ report: unknown }>('SELECT report FROM bench_runs WHERE id = $1', [id])
  return rows[0]?.report
}

/** The operator's latest report of the PipelineBenchmark namespace/name (apps/operator/report-store.ts writes it). */
export async function benchmarkReport(pool: pg.Pool, namespace: string, name: string): Promise<unknown | undefined> {
  const { rows } = await pool.query(
    `SELECT namespace, name, uid, generation::int AS generation, phase, finished_at AS "finishedAt", spec, status
     FROM operator_reports WHERE namespace = $1 AND name = $2 ORDER BY finished_at DESC LIMIT 1`,
    [namespace, name],
  )
  return rows[0]
}

export async function marketWindows(pool: pg.Pool, symbol: string, from: Date, to: Date, limit: number) {
  const { rows } = await pool.query(
    `SELECT bucket, open, high, low, close, volume::float8 AS volume, trades, vwap
     FROM market_ohlc_1s_vwap WHERE symbol = $1 AND bucket >= $2 AND bucket < $3 ORDER BY bucket LIMIT $4`,
    [symbol, from, to, limit],
  )
  return rows
}

export async function deviceWindows(pool: pg.Pool, device: string, from: Date, to: Date, limit: number) {
  const { rows } = await pool.query(
    `SELECT s.bucket, s.readings, s.temp_sum / s.readings AS temp_avg, s.temp_min, s.temp_max, s.humidity_sum / s.readings AS humidity_avg,
            r.temp_avg AS rolling_60s_temp_avg, r.readings::int AS rolling_60s_readings,
            (SELECT count(*)::int FROM iot_alerts a WHERE a.device = s.device AND a.at >= s.bucket AND a.at < s.bucket + interval '1 second') AS alerts
     FROM iot_stats_1s s JOIN iot_device_rolling_60s r USING (device, bucket)
     WHERE s.device = $1 AND s.bucket >= $2 AND s.bucket < $3 ORDER BY s.bucket LIMIT $4`,
    [device, from, to, limit],
  )
  return rows
}

export async function serviceWindows(pool: pg.Pool, service: string, from: Date, to: Date, limit: number) {
  const { rows } = await pool.query(
    `SELECT bucket, total, warns, errors, error_rate FROM log_error_rate_1s
     WHERE service = $1 AND bucket >= $2 AND bucket < $3 ORDER BY bucket LIMIT $4`,
    [service, from, to, limit],
  )
  return rows
}

/** Whether a table exists: the API serves a fresh database as empty lists, not as 500s. */
export async function tableExists(pool: pg.Pool, name: string): Promise<boolean> {
  const { rows } = await pool.query<{ found: boolean }>('SELECT to_regclass($1) IS NOT NULL AS found', [name])
  return rows[0]?.found ?? false
}
