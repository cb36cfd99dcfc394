import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import type pg from 'pg'
import { encodeCopyRows, encodeIotRows, encodeLogRows, timestampText } from './copy-encoding.ts'
import { type IngestEvent, type IotEvent, type LogEvent, type MarketEvent, TABLE_COLUMNS } from './events.ts'
import { aggregateIot, aggregateLogs, iotAlerts } from './iot-log-aggregates.ts'
import { aggregateOhlc, type OhlcWindow } from './ohlc.ts'
import { columnsOf, inLockOrder } from './windows.ts'

/**
 * What new events fold into, one statement per aggregate table, in fold-sql/: the Rust processor
 * (apps/processor-rs) compiles the same files in, so both implementations fold alike.
 */
const FOLD_SQL = Object.fromEntries(
  ['market_ohlc_1s', 'iot_stats_1s', 'iot_alerts', 'log_counts_1s'].map((table) => [
    table,
    readFileSync(join(import.meta.dirname, 'fold-sql', `${table}.sql`), 'utf8'),
  ]),
) as Record<'market_ohlc_1s' | 'iot_stats_1s' | 'iot_alerts' | 'log_counts_1s', string>

/** Where one kind of event goes: its raw table, how a row is encoded, and what its new events update. */
export interface EventTable<E extends IngestEvent> {
  table: string
  columns: string
  encode(events: readonly E[]): string
  /** One event as INSERT parameters, in `columns` order (the naive strategy). */
  params(e: E): unknown[]
  /** Folds events that were new and on time into the aggregates, in the batch's transaction. */
  fold(client: pg.PoolClient, fresh: E[], options: { alertCelsius: number }): Promise<void>
}

/** `(a, b, c)`: a kind's columns in the contract's COPY order. */
const columnList = (kind: keyof typeof TABLE_COLUMNS) => `(${Object.keys(TABLE_COLUMNS[kind].columns).join(', ')})`

const MARKET: EventTable<MarketEvent> = {
  table: TABLE_COLUMNS.market.table,
  columns: columnList('market'),
  encode: encodeCopyRows,
  params: (e) => [e.source, e.seq, timestampText(e.ts), e.symbol, e.price, e.volume, e.exchange ?? null],
  fold: (client, fresh) => upsertOhlc(client, aggregateOhlc(fresh)),
}

const IOT: EventTable<IotEvent> = {
  table: TABLE_COLUMNS.iot.table,
  columns: columnList('iot'),
  encode: encodeIotRows,
  params: (e) => [
    e.source,
    e.seq,
    timestampText(e.ts),
    e.device,
    e.temperature,
    e.humidity,
    e.readings,
    e.payload === undefined ? null : Buffer.from(e.payload, 'base64'),
  ],
  fold: async (client, fresh, { alertCelsius }) => {
    const windows = inLockOrder(aggregateIot(fresh), (w) => w.device)
    if (windows.length > 0) {
      await client.query(
        FOLD_SQL.iot_stats_1s,
        columnsOf(windows, ['device', 'bucketMs', 'readings', 'tempSum', 'tempMin', 'tempMax', 'humiditySum']),
      )
    }
    const alerts = iotAlerts(fresh, alertCelsius)
    if (alerts.length > 0) {
      await client.query(FOLD_SQL.iot_alerts, columnsOf(alerts, ['source', 'seq', 'device', 'ts', 'temperature']))
    }
  },
}

const LOG: EventTable<LogEvent> = {
  table: TABLE_COLUMNS.log.table,
  columns: columnList('log'),
  encode: encodeLogRows,
  params: (e) => [e.source, e.seq, timestampText(e.ts), e.level, e.service, e.message],
  fold: async (client, fresh) => {
    const windows = inLockOrder(aggregateLogs(fresh), (w) => w.service)
    if (windows.length === 0) return
    await client.query(FOLD_SQL.log_counts_1s, columnsOf(windows, ['service', 'bucketMs', 'total', 'warns', 'errors']))
  },
}

export const EVENT_TABLES = { market: MARKET, iot: IOT, log: LOG } as const

// Windows merge by event time: the earliest open and latest close win, whichever batch brings them.
const UPSERT_OHLC = FOLD_SQL.market_ohlc_1s

async function upsertOhlc(client: pg.PoolClient, windows: OhlcWindow[]): Promise<void> {
  if (windows.length === 0) return
  await client.query(
    UPSERT_OHLC,
    columnsOf(
      inLockOrder(windows, (w) => w.symbol),
      ['symbol', 'bucketMs', 'open', 'openTs', 'high', 'low', 'close', 'closeTs', 'volume', 'notional', 'trades'],
    ),
  )
}
