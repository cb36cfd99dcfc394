import type pg from 'pg'
import { encodeCopyRows, encodeIotRows, encodeLogRows, timestampText } from './copy-encoding.ts'
import { type IngestEvent, type IotEvent, type LogEvent, type MarketEvent, TABLE_COLUMNS } from './events.ts'
import { aggregateIot, aggregateLogs, iotAlerts } from './iot-log-aggregates.ts'
import { aggregateOhlc, type OhlcWindow } from './ohlc.ts'
import { columnsOf, inLockOrder } from './windows.ts'

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
        `INSERT INTO iot_stats_1s AS t (device, bucket, readings, temp_sum, temp_min, temp_max, humidity_sum)
         SELECT device, to_timestamp(bucket_ms / 1000.0), readings, temp_sum, temp_min, temp_max, humidity_sum
         FROM unnest($1::text[], $2::float8[], $3::int[], $4::float8[], $5::float8[], $6::float8[], $7::float8[])
           AS w(device, bucket_ms, readings, temp_sum, temp_min, temp_max, humidity_sum)
         ON CONFLICT (device, bucket) DO UPDATE SET readings = t.readings + excluded.readings, temp_sum = t.temp_sum + excluded.temp_sum,
           temp_min = LEAST(t.temp_min, excluded.temp_min), temp_max = GREATEST(t.temp_max, excluded.temp_max),
           humidity_sum = t.humidity_sum + excluded.humidity_sum`,
        columnsOf(windows, ['device', 'bucketMs', 'readings', 'tempSum', 'tempMin', 'tempMax', 'humiditySum']),
      )
    }
    const alerts = iotAlerts(fresh, alertCelsius)
    if (alerts.length > 0) {
      await client.query(
        `INSERT INTO iot_alerts (source, seq, device, at, temperature)
         SELECT source, seq, device, to_timestamp(ts / 1000.0), temperature
         FROM unnest($1::text[], $2::bigint[], $3::text[], $4::float8[], $5::float8[]) AS a(source, seq, device, ts, temperature)
         ON CONFLICT DO NOTHING`,
        columnsOf(alerts, ['source', 'seq', 'device', 'ts', 'temperature']),
      )
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
    await client.query(
      `INSERT INTO log_counts_1s AS t (service, bucket, total, warns, errors)
       SELECT service, to_timestamp(bucket_ms / 1000.0), total, warns, errors
       FROM unnest($1::text[], $2::float8[], $3::int[], $4::int[], $5::int[]) AS w(service, bucket_ms, total, warns, errors)
       ON CONFLICT (service, bucket) DO UPDATE SET total = t.total + excluded.total, warns = t.warns + excluded.warns,
         errors = t.errors + excluded.errors`,
      columnsOf(windows, ['service', 'bucketMs', 'total', 'warns', 'errors']),
    )
  },
}

export const EVENT_TABLES = { market: MARKET, iot: IOT, log: LOG } as const

// Windows merge by event time: the earliest open and latest close win, whichever batch brings them.
const UPSERT_OHLC = `
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
