import pg from 'pg'

/** Runs one query on a short-lived connection; for checks after a run, not for load. */
export async function queryRows<R extends pg.QueryResultRow>(url: string, sql: string, params: unknown[] = []): Promise<R[]> {
  const client = new pg.Client({ connectionString: url })
  await client.connect()
  try {
    return (await client.query<R>(sql, params)).rows
  } finally {
    await client.end()
  }
}

/** The server's version string, as the report's fingerprint shows it. */
export async function serverVersion(url: string): Promise<string> {
  const [row] = await queryRows<{ server_version: string }>(url, 'SHOW server_version')
  return row?.server_version ?? 'unknown'
}
