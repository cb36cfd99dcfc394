import { readdir, readFile } from 'node:fs/promises'
import { join } from 'node:path'
import type pg from 'pg'

/** One set of migrations: its SQL files, the table that remembers them, and its advisory lock. */
export interface MigrationSet {
  dir: string
  table: string
  /** Any constant; the same for every process that migrates this set, so concurrent ones queue. */
  lockId: number
}

/** The stream processor's tables. */
export const PROCESSOR_MIGRATIONS: MigrationSet = {
  dir: join(import.meta.dirname, '..', 'processor', 'migrations'),
  table: 'schema_migrations',
  lockId: 7_340_001,
}

/** Benchmark results and history: written by the harness, read by the API. */
export const RESULTS_MIGRATIONS: MigrationSet = {
  dir: join(import.meta.dirname, 'results-migrations'),
  table: 'results_schema_migrations',
  lockId: 7_340_002,
}

/**
 * Applies the ordered SQL files of a set that this database has not seen, each in its own transaction,
 * under an advisory lock so concurrent replicas do not race. Written by hand because it is this dozen
 * lines; the migration libraries bring their own file formats and CLIs we would not use.
 */
export async function migrate(pool: pg.Pool, { dir, table, lockId }: MigrationSet = PROCESSOR_MIGRATIONS): Promise<string[]> {
  const client = await pool.connect()
  try {
    await client.query('SELECT pg_advisory_lock($1)', [lockId])
    await client.query(`CREATE TABLE IF NOT EXISTS ${table} (name text PRIMARY KEY, applied_at timestamptz NOT NULL DEFAULT now())`)
    const done = new Set((await client.query<{ name: string }>(`SELECT name FROM ${table}`)).rows.map((r) => r.name))
    const files = (await readdir(dir)).filter((f) => f.endsWith('.sql')).sort()
    const applied: string[] = []
    for (const file of files.filter((f) => !done.has(f))) {
      const sql = await readFile(join(dir, file), 'utf8')
      await client.query('BEGIN')
      try {
        await client.query(sql)
        await client.query(`INSERT INTO ${table} (name) VALUES ($1)`, [file])
        await client.query('COMMIT')
      } catch (error) {
        await client.query('ROLLBACK')
        throw new Error(`Migration ${file} failed: ${(error as Error).message}`, { cause: error })
      }
      applied.push(file)
    }
    return applied
  } finally {
    await client.query('SELECT pg_advisory_unlock($1)', [lockId]).catch(() => {})
    client.release()
  }
}
