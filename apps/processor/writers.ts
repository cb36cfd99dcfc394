import { Readable } from 'node:stream'
import { pipeline } from 'node:stream/promises'
import pg from 'pg'
import { from as copyFrom } from 'pg-copy-streams'
import { encodeCopyRows, timestampText } from './copy-encoding.ts'
import type { MarketEvent } from './market-event.ts'
import { aggregateOhlc, type OhlcWindow } from './ohlc.ts'

/**
 * How a batch reaches PostgreSQL. Both strategies write the same rows for the same input, in one
 * transaction per batch, and skip (source, seq) pairs already stored, so a retried batch adds nothing:
 *   naive      one INSERT ... ON CONFLICT DO NOTHING per event
 *   optimized  one COPY straight into the table; only when that hits a stored key (a retry), the batch is
 *              copied into a staging table and merged with ON CONFLICT DO NOTHING instead
 * In the same transaction, the events that were new (and on time) are folded into market_ohlc_1s, so the
 * windows count every event exactly once, retries included.
 */
export const STRATEGIES = ['naive', 'optimized'] as const
export type Strategy = (typeof STRATEGIES)[number]
export type BatchWriter = (events: MarketEvent[]) => Promise<void>

const COLUMNS = '(source, seq, generated_at, symbol, price, volume)'
const INSERT_ONE = `INSERT INTO market_events ${COLUMNS} VALUES ($1, $2, $3, $4, $5, $6) ON CONFLICT (source, seq) DO NOTHING RETURNING 1`
const COPY_DIRECT = `COPY market_events ${COLUMNS} FROM STDIN`
// ON COMMIT DELETE ROWS empties it at every commit, so each merge starts from an empty staging table.
const CREATE_STAGING = 'CREATE TEMP TABLE IF NOT EXISTS market_events_staging (LIKE market_events) ON COMMIT DELETE ROWS'
const COPY_STAGING = `COPY market_events_staging ${COLUMNS} FROM STDIN`
const MERGE_STAGING = `INSERT INTO market_events SELECT * FROM market_events_staging ON CONFLICT (source, seq) DO NOTHING RETURNING source, seq`
// Windows merge by event time: the earliest open and latest close win, whichever batch brings them.
const UPSERT_WINDOWS = `
  INSERT INTO market_ohlc_1s AS t (symbol, bucket, open, open_at, high, low, close, close_at, volume, notional, trades)
  SELECT symbol, to_timestamp(bucket_ms / 1000.0), open, to_timestamp(open_ts / 1000.0), high, low,
         close, to_timestamp(close_ts / 1000.0), volume, notional, trades
  FROM unnest($1::text[], $2::float8[], $3::float8[], $4::float8[], $5::float8[], $6::float8[], $7::float8[], $8::float8[],
              $9::bigint[], $10::float8[], $11::int[])
    AS w(symbol, bucket_ms, open, open_ts, high, low, close, close_ts, volume, notional, trades)
  ON CONFLICT (symbol, bucket) DO UPDATE SET
    open = CASE WHEN excluded.open_at < t.open_at THEN excluded.open ELSE t.open END,
    open_at = LEAST(t.open_at, excluded.open_at),
    high = GREATEST(t.high, excluded.high),
    low = LEAST(t.low, excluded.low),
    close = CASE WHEN excluded.close_at > t.close_at THEN excluded.close ELSE t.close END,
    close_at = GREATEST(t.close_at, excluded.close_at),
    volume = t.volume + excluded.volume,
    notional = t.notional + excluded.notional,
    trades = t.trades + excluded.trades`
const UNIQUE_VIOLATION = '23505'

export function createPool(connectionString: string, max: number): pg.Pool {
  return new pg.Pool({ connectionString, max, application_name: 'processor' })
}

/** `onTime` decides which new events may still change their window (see LatenessFilter); default: all. */
export function createWriter(strategy: Strategy, pool: pg.Pool, onTime: (events: MarketEvent[]) => MarketEvent[] = (e) => e): BatchWriter {
  const fold = (client: pg.PoolClient, fresh: MarketEvent[]) => upsertWindows(client, aggregateOhlc(onTime(fresh)))
  if (strategy === 'naive') {
    return (events) =>
      inTransaction(pool, async (client) => {
        const fresh: MarketEvent[] = []
        for (const e of events) {
          const inserted = await client.query(INSERT_ONE, [e.source, e.seq, timestampText(e.ts), e.symbol, e.price, e.volume])
          if (inserted.rowCount === 1) fresh.push(e)
        }
        await fold(client, fresh)
      })
  }
  return async (events) => {
    const rows = encodeCopyRows(events)
    try {
      await inTransaction(pool, async (client) => {
        await copyText(client, COPY_DIRECT, rows)
        await fold(client, events) // the COPY succeeded, so every event was new
      })
    } catch (error) {
      if ((error as { code?: string }).code !== UNIQUE_VIOLATION) throw error
      await inTransaction(pool, async (client) => {
        await client.query(CREATE_STAGING)
        await copyText(client, COPY_STAGING, rows)
        const inserted = await client.query<{ source: string; seq: string }>(MERGE_STAGING)
        const fresh = new Set(inserted.rows.map((r) => `${r.source}\u0000${r.seq}`))
        await fold(
          client,
          events.filter((e) => fresh.has(`${e.source}\u0000${e.seq}`)),
        )
      })
    }
  }
}

async function upsertWindows(client: pg.PoolClient, windows: OhlcWindow[]): Promise<void> {
  if (windows.length === 0) return
  // One lock order for every transaction, so concurrent commits touching the same windows cannot deadlock.
  windows.sort((a, b) => (a.symbol < b.symbol ? -1 : a.symbol > b.symbol ? 1 : a.bucketMs - b.bucketMs))
  const column = <K extends keyof OhlcWindow>(k: K) => windows.map((w) => w[k])
  await client.query(UPSERT_WINDOWS, [
    column('symbol'),
    column('bucketMs'),
    column('open'),
    column('openTs'),
    column('high'),
    column('low'),
    column('close'),
    column('closeTs'),
    column('volume'),
    column('notional'),
    column('trades'),
  ])
}

function copyText(client: pg.PoolClient, statement: string, rows: string): Promise<void> {
  return pipeline(Readable.from([rows]), client.query(copyFrom(statement)))
}

async function inTransaction(pool: pg.Pool, work: (client: pg.PoolClient) => Promise<void>): Promise<void> {
  const client = await pool.connect()
  try {
    await client.query('BEGIN')
    await work(client)
    await client.query('COMMIT')
  } catch (error) {
    await client.query('ROLLBACK').catch(() => {})
    throw error
  } finally {
    client.release()
  }
}
