import { afterAll, beforeAll, expect, test } from 'vitest'
import { type LocalPostgres, startLocalPostgres } from '../../harness/local/postgres.ts'
import { queryRows } from '../../harness/sql.ts'
import { openPool } from './pool.ts'

let postgres: LocalPostgres
beforeAll(async () => {
  postgres = await startLocalPostgres()
}, 120_000)
afterAll(() => postgres?.stop())

test('an idle connection the server ends is reported, not thrown, and the next query reconnects', async () => {
  const ended: Error[] = []
  const pool = openPool({ connectionString: postgres.url, max: 1 }, (error) => ended.push(error))
  try {
    const { rows } = await pool.query<{ pid: number }>('SELECT pg_backend_pid() AS pid')
    const pid = rows[0]?.pid
    await queryRows(postgres.url, 'SELECT pg_terminate_backend($1)', [pid])
    await expect.poll(() => ended.length).toBe(1)
    expect(ended[0]?.message).toMatch(/terminating connection/)
    const again = await pool.query<{ pid: number }>('SELECT pg_backend_pid() AS pid')
    expect(again.rows[0]?.pid).not.toBe(pid)
  } finally {
    await pool.end()
  }
})
