import { type IngestEvent, TABLE_COLUMNS } from './events.ts'

/**
 * Whether PostgreSQL refused the data itself (SQLSTATE class 22, data exception, or 23, integrity
 * constraint violation) rather than failing as a database: a refusal is the request's own fault, so its
 * commit is retried without it (commit-batcher.ts isolate) and it is answered 422.
 */
export function isDataRefusal(error: unknown): boolean {
  const code = (error as { code?: unknown } | undefined)?.code
  return typeof code === 'string' && (code.startsWith('22') || code.startsWith('23'))
}

const UNREACHABLE = new Set(['ECONNREFUSED', 'ECONNRESET', 'EPIPE', 'ETIMEDOUT', 'EHOSTUNREACH', 'ENOTFOUND'])

/**
 * Whether the database was gone rather than the write wrong: no connection (a socket error code), a
 * connection exception (SQLSTATE class 08), the server shutting down or starting (57P01-57P05), or a
 * connection that ended mid-query. Answered 503 with Retry-After: nothing was acknowledged, and a resend
 * once it is back is de-duplicated by (source, seq).
 */
export function isDatabaseUnavailable(error: unknown): boolean {
  const { code, message } = (error ?? {}) as { code?: unknown; message?: unknown }
  if (typeof code === 'string' && (UNREACHABLE.has(code) || code.startsWith('08') || code.startsWith('57P'))) return true
  return typeof message === 'string' && /Connection terminated|connection closed|Client has encountered a connection error/i.test(message)
}

const COPY_CONTEXT = /^COPY (\w+?)(?:_staging)?, line (\d+)(?:, column (\w+))?/
const FIELD_OF_COLUMN: Record<string, string> = { generated_at: 'ts' }

/**
 * The JSON pointer of what the database refused in a request committed alone: COPY's context names the
 * table, the row (the n-th event of that kind, in the request's order) and, for a bad value, the column.
 * `/events` when the error does not say.
 */
export function refusedPath(error: unknown, events: readonly IngestEvent[]): string {
  const { where, column } = error as { where?: string; column?: string }
  const match = COPY_CONTEXT.exec(where ?? '')
  const kind = Object.entries(TABLE_COLUMNS).find(([, t]) => t.table === match?.[1])?.[0]
  if (!match || !kind) return '/events'
  let nth = Number(match[2])
  const index = events.findIndex((e) => e.kind === kind && --nth === 0)
  if (index < 0) return '/events'
  const refusedColumn = match[3] ?? column
  return refusedColumn ? `/events/${index}/${FIELD_OF_COLUMN[refusedColumn] ?? refusedColumn}` : `/events/${index}`
}
