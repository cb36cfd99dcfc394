import { execFileSync } from 'node:child_process'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import type pg from 'pg'
import { migrate, RESULTS_MIGRATIONS } from '../apps/shared/migrate.ts'
import { openPool } from '../apps/shared/pool.ts'
import { startLocalPostgres } from '../harness/local/postgres.ts'
import type { Baseline, Environment, MetricHistory, RunResults } from '../model/results.ts'
import { baselinesFromRuns, MIN_RUNS_FOR_NOISE } from './calibration.ts'
import { MINIMUM_EFFECT } from './paired.ts'
import { detectChangePoint } from './stats/change-point.ts'
import { SAME_SPEED } from './testbed.ts'

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
  return withResultsDatabase(async (pool) => {
    await insertRun(pool, results, gitCommit(root))
    return readHistories(pool, results)
  })
}

/** The results database, migrated, for the length of `use`: the shared one, else the local one started for it. */
async function withResultsDatabase<T>(use: (pool: pg.Pool) => Promise<T>): Promise<T> {
  const given = process.env[RESULTS_DATABASE_ENV]
  const local = given
    ? undefined
    : await startLocalPostgres({ keepDataDir: process.env[HISTORY_DIR_ENV] ?? join(tmpdir(), 'performance-observatory-history') })
  const pool = openPool({ connectionString: given ?? local?.url, max: 2 })
  try {
    await migrate(pool, RESULTS_MIGRATIONS)
    return await use(pool)
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

/**
 * Each metric's recent values on this run's testbed, profile and mode only: a series that mixed machines,
 * profiles or paired and single runs would show their differences as change points.
 */
async function readHistories(pool: pg.Pool, results: RunResults): Promise<Map<string, MetricHistory>> {
  const histories = new Map<string, MetricHistory>()
  const testbed = sameTestbed(results.mode, results.environment, 3)
  for (const suite of results.suites) {
    for (const m of suite.metrics) {
      if (m.value === null) continue
      // The figure that is judged: per calibration workload where this run has one.
      const column = m.perCalibration === null ? 'value' : 'per_calibration'
      const { rows } = await pool.query<{ v: number }>(
        `SELECT m.${column} AS v FROM bench_metrics m JOIN bench_runs r ON r.id = m.run_id
         WHERE m.suite = $1 AND m.key = $2 AND m.${column} IS NOT NULL AND ${testbed.sql}
         ORDER BY m.run_id DESC LIMIT ${TREND_RUNS}`,
        [suite.suite, m.key, ...testbed.params],
      )
      const values = rows.map((r) => r.v).reverse()
      const changePoint = detectChangePoint(values, Math.max(MINIMUM_EFFECT, m.threshold ?? 0))
      histories.set(`${suite.suite} › ${m.key}`, { values, changePoint })
    }
  }
  return histories
}

/**
 * SQL (on bench_runs as r) and its parameters, numbered from `from`: runs of this mode on this testbed, that
 * is this profile, CPU, core count and OS, with a calibration speed within SAME_SPEED of this run's.
 */
function sameTestbed(mode: RunResults['mode'], env: Environment, from: number): { sql: string; params: unknown[] } {
  const $ = (i: number) => `$${from + i}`
  const identity = `r.mode = ${$(0)} AND r.environment->>'profile' = ${$(1)} AND r.environment->>'cpuModel' = ${$(2)}
      AND (r.environment->>'cores')::int = ${$(3)} AND r.environment->>'os' = ${$(4)}`
  const params = [mode, env.profile, env.cpuModel, env.cores, env.os]
  // A run without a calibration speed (recorded before testbeds) matches only others without one.
  if (!env.calibration) return { sql: `${identity} AND r.environment->'calibration' IS NULL`, params }
  const speed = env.calibration.opsPerSecond
  return {
    sql: `${identity} AND (r.environment->'calibration'->>'opsPerSecond')::float8 BETWEEN ${$(5)} AND ${$(6)}`,
    params: [...params, speed / (1 + SAME_SPEED), speed * (1 + SAME_SPEED)],
  }
}

/** Runs of this testbed a reference is made from: the newest that measured the suite. */
export const REFERENCE_RUNS = 5

/**
 * When a suite's committed baseline is from another testbed, this machine's own recent single runs are the
 * reference: a baseline made from its last REFERENCE_RUNS runs in which the suite passed (at least 3, for a
 * noise estimate), by the same rule `pnpm bench:update` uses. Keyed by suite; empty without history.
 */
export async function testbedReferences(env: Environment, suites: string[]): Promise<Map<string, Baseline>> {
  const references = new Map<string, Baseline>()
  if (process.env[HISTORY_ENV] === 'off' || suites.length === 0 || !env.calibration) return references
  await withResultsDatabase(async (pool) => {
    const testbed = sameTestbed('baseline', env, 1)
    const { rows } = await pool.query<{ report: RunResults }>(
      `SELECT r.report FROM bench_runs r WHERE ${testbed.sql} ORDER BY r.id DESC LIMIT 100`,
      testbed.params,
    )
    for (const suite of suites) {
      const runs = rows
        .map((r) => r.report)
        .filter((r) => r.suites.some((s) => s.suite === suite && s.status === 'passed'))
        .slice(0, REFERENCE_RUNS)
        .reverse()
      if (runs.length < MIN_RUNS_FOR_NOISE) continue
      const outcome = baselinesFromRuns(
        runs.map((r) => ({ ...r, suites: r.suites.filter((s) => s.suite === suite) })),
        runs.at(-1)?.finishedAt ?? '',
      )[0]
      if (outcome && 'baseline' in outcome) references.set(suite, outcome.baseline)
    }
  })
  return references
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
