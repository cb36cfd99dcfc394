import { execFileSync } from 'node:child_process'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import pg from 'pg'
import { migrate, RESULTS_MIGRATIONS } from '../apps/shared/migrate.ts'
import { startLocalPostgres } from '../harness/local/postgres.ts'
import { MINIMUM_EFFECT } from './paired.ts'
import { detectChangePoint } from './stats/change-point.ts'
import type { MetricHistory, RunResults } from './types.ts'

/** A persistent PostgreSQL for results (shared by a team, read by the API); else a local one in /tmp. */
export const RESULTS_DATABASE_ENV = 'BENCH_RESULTS_DATABASE_URL'
/** Where the local history database lives (default: $TMPDIR/performance-observatory-history). */
export const HISTORY_DIR_ENV = 'BENCH_HISTORY_DIR'
/** `off`: record nothing (tests that run `pnpm bench` with made-up baselines set it). */
export const HISTORY_ENV = 'BENCH_HISTORY'
/** How many recent runs a trend shows and a change point is searched in. */
const TREND_RUNS = 30

/**
 * Writes the run to the results database and returns each metric's recent history with its change
 * point, keyed by `suite › key`. The local database is started for this and stopped after.
 */
export async function recordHistory(results: RunResults, root: string): Promise<Map<string, MetricHistory>> {
  const given = process.env[RESULTS_DATABASE_ENV]
  const local = given
    ? undefined
    : await startLocalPostgres({ keepDataDir: process.env[HISTORY_DIR_ENV] ?? join(tmpdir(), 'performance-observatory-history') })
  const pool = new pg.Pool({ connectionString: given ?? local?.url, max: 2 })
  try {
    await migrate(pool, RESULTS_MIGRATIONS)
    await insertRun(pool, results, gitCommit(root))
    return await readHistories(pool, results)
  } finally {
    await pool.end()
    await local?.stop()
  }
}

async function insertRun(pool: pg.Pool, results: RunResults, commit: string | null): Promise<void> {
  const client = await pool.connect()
  try {
    await client.query('BEGIN')
    const { rows } = await client.query<{ id: string }>(
      `INSERT INTO bench_runs (started_at, finished_at, mode, git_commit, environment, summary, report)
       VALUES ($1, $2, $3, $4, $5, $6, $7) RETURNING id`,
      [results.startedAt, results.finishedAt, results.mode, commit, results.environment, results.summary, results],
    )
    for (const suite of results.suites) {
      for (const m of suite.metrics) {
        await client.query(
          `INSERT INTO bench_metrics (run_id, suite, key, unit, direction, value, per_calibration, baseline, change, verdict)
           VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)`,
          [rows[0]?.id, suite.suite, m.key, m.unit, m.direction, m.value, m.perCalibration, m.baseline, m.change, m.verdict],
        )
      }
    }
    await client.query('COMMIT')
  } catch (error) {
    await client.query('ROLLBACK')
    throw error
  } finally {
    client.release()
  }
}

async function readHistories(pool: pg.Pool, results: RunResults): Promise<Map<string, MetricHistory>> {
  const histories = new Map<string, MetricHistory>()
  for (const suite of results.suites) {
    for (const m of suite.metrics) {
      if (m.value === null) continue
      // The figure that is judged: per calibration workload where this run has one.
      const column = m.perCalibration === null ? 'value' : 'per_calibration'
      const { rows } = await pool.query<{ v: number }>(
        `SELECT ${column} AS v FROM bench_metrics WHERE suite = $1 AND key = $2 AND ${column} IS NOT NULL
         ORDER BY run_id DESC LIMIT $3`,
        [suite.suite, m.key, TREND_RUNS],
      )
      const values = rows.map((r) => r.v).reverse()
      const changePoint = detectChangePoint(values, Math.max(MINIMUM_EFFECT, m.threshold ?? 0))
      histories.set(`${suite.suite} › ${m.key}`, { values, changePoint })
    }
  }
  return histories
}

function gitCommit(root: string): string | null {
  try {
    return execFileSync('git', ['rev-parse', 'HEAD'], { cwd: root, encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] }).trim()
  } catch {
    return null
  }
}

/**
 * The run with each metric's history attached (and recorded), unless BENCH_HISTORY=off. History is
 * evidence, not a gate: if the database cannot be reached the run still stands, with a note saying so.
 */
export async function withHistory(results: RunResults, root: string): Promise<RunResults> {
  if (process.env[HISTORY_ENV] === 'off') return results
  try {
    const histories = await recordHistory(results, root)
    const suites = results.suites.map((s) => ({
      ...s,
      metrics: s.metrics.map((m) => {
        const history = histories.get(`${s.suite} › ${m.key}`)
        return history ? { ...m, history } : m
      }),
    }))
    return { ...results, suites }
  } catch (error) {
    const why = (error as Error).message.replace(/\s+/g, ' ').trim().slice(0, 300)
    const note = `history: this run was not recorded (${why}); check ${RESULTS_DATABASE_ENV}, or set ${HISTORY_ENV}=off`
    return { ...results, environmentNotes: [...results.environmentNotes, note] }
  }
}
