import type pg from 'pg'
import { describe, expect } from 'vitest'
import { test } from '../../harness/fixtures.ts'
import { queryRows } from '../../harness/sql.ts'
import { migrate } from '../shared/migrate.ts'
import { encodeCopyRows, escapeCopyText, timestampText } from './copy-encoding.ts'
import type { IotEvent, LogEvent, MarketEvent } from './events.ts'
import { aggregateOhlc } from './ohlc.ts'
import { createPool, createWriter, STRATEGIES } from './writers.ts'

const event = (seq: number, source = 'writer-test'): MarketEvent => ({
  kind: 'market',
  source,
  seq,
  ts: 1_700_000_000_000 + seq + 0.25,
  symbol: seq % 2 ? 'ACME' : 'GLOBX',
  price: 100 + seq / 8,
  volume: seq,
})
const range = (from: number, to: number, source?: string) => Array.from({ length: to - from }, (_, i) => event(from + i, source))

describe('COPY text encoding', () => {
  test('escapes backslash, tab, newline and carriage return in free text', () => {
    expect(escapeCopyText('a\\b\tc\nd\re')).toBe('a\\\\b\\tc\\nd\\re')
    expect(escapeCopyText('plain')).toBe('plain')
  })

  test('timestamps keep microseconds and round like PostgreSQL', () => {
    expect(timestampText(1_700_000_000_000)).toBe('2023-11-14T22:13:20.000000Z')
    expect(timestampText(1_700_000_000_123 + 0.4567)).toBe('2023-11-14T22:13:20.123457Z')
    expect(timestampText(1_700_000_000_999 + 0.9996)).toBe('2023-11-14T22:13:21.000000Z')
    // Past 2^53 microseconds (the year 2255) one number of microseconds is inexact; seconds and micros apart are not.
    expect(timestampText(Date.UTC(10_000, 0, 1) - 1)).toBe('9999-12-31T23:59:59.999000Z')
  })

  test('writes one tab-separated line per event', () => {
    expect(encodeCopyRows([event(3)])).toBe('writer-test\t3\t2023-11-14T22:13:20.003250Z\tACME\t100.375\t3\t\\N\n')
    expect(encodeCopyRows([{ ...event(4), exchange: 'XNYS' }])).toMatch(/\tXNYS\n$/)
  })
})

/** A new database migrated for the processor, given to `work` with a pool that is closed afterwards. */
async function withFreshDatabase(serverUrl: string, name: string, work: (url: string, pool: pg.Pool) => Promise<void>): Promise<void> {
  await queryRows(serverUrl, `CREATE DATABASE ${name}`)
  const url = serverUrl.replace(/\/[^/]+$/, `/${name}`)
  const pool = createPool(url, 2)
  try {
    await migrate(pool)
    await work(url, pool)
  } finally {
    await pool.end()
  }
}

describe('write strategies', { timeout: 60_000 }, () => {
  test('naive and optimized store the same rows for the same input, retries included', async ({ postgres }) => {
    const stored: unknown[] = []
    const windows: unknown[] = []
    for (const strategy of STRATEGIES) {
      await withFreshDatabase(postgres.url, `strategy_${strategy}`, async (url, pool) => {
        const write = createWriter(strategy, pool)
        await write(range(0, 100))
        await write(range(0, 100)) // a retried batch
        await write([...range(50, 150), event(0, 'tab\there'), event(1, 'back\\slash')]) // overlapping, odd sources
        stored.push(
          await queryRows(
            url,
            `SELECT source, seq::int, extract(epoch FROM generated_at) * 1000 AS ts_ms, symbol, price, volume
             FROM market_events ORDER BY source, seq`,
          ),
        )
        windows.push(
          await queryRows(
            url,
            `SELECT symbol, extract(epoch FROM bucket) * 1000 AS bucket_ms, open, high, low, close, volume::int, notional, trades
             FROM market_ohlc_1s ORDER BY symbol, bucket`,
          ),
        )
      })
    }
    const [naive, optimized] = stored as Record<string, unknown>[][]
    expect(naive).toHaveLength(152)
    expect(optimized).toEqual(naive)
    expect(naive?.find((r) => r.source === 'tab\there')).toMatchObject({ seq: 0 })
    // Windows count every distinct event once: the retried and overlapping batches add nothing twice.
    expect(windows[1]).toEqual(windows[0])
    const distinct = [...range(0, 150), event(0, 'tab\there'), event(1, 'back\\slash')]
    const expected = aggregateOhlc(distinct).map((w) => ({ symbol: w.symbol, trades: w.trades, volume: w.volume }))
    const got = (windows[0] as { symbol: string; trades: number; volume: number }[]).map(({ symbol, trades, volume }) => ({
      symbol,
      trades,
      volume,
    }))
    expect(got).toEqual(expect.arrayContaining(expected))
    expect(got.reduce((n, w) => n + w.trades, 0)).toBe(152)
    expect(Number(naive?.find((r) => r.seq === 7 && r.source === 'writer-test')?.ts_ms)).toBeCloseTo(1_700_000_000_007.25, 2)
  })

  test('IoT and log events: same rows and aggregates under both strategies, each event counted once', async ({ postgres }) => {
    const iot = (seq: number): IotEvent => ({
      kind: 'iot',
      source: 'mixed',
      seq,
      ts: 1_700_000_000_000 + seq * 100,
      device: `dev-${seq % 3}`,
      temperature: 60 + seq,
      humidity: 40,
      readings: [seq, seq / 2],
      ...(seq % 2 ? { payload: Buffer.from([seq, 0, 255]).toString('base64') } : {}),
    })
    const log = (seq: number): LogEvent => ({
      kind: 'log',
      source: 'mixed',
      seq,
      ts: 1_700_000_000_000 + seq * 100,
      level: seq % 5 === 0 ? 'error' : seq % 5 === 1 ? 'warn' : 'info',
      service: seq % 2 ? 'api' : 'db',
      message: `line ${seq}\twith a tab`,
    })
    const batch = [
      ...Array.from({ length: 30 }, (_, i) => iot(i)),
      ...Array.from({ length: 30 }, (_, i) => log(100 + i)),
      event(200, 'mixed'),
    ]
    const seen: unknown[] = []
    for (const strategy of STRATEGIES) {
      await withFreshDatabase(postgres.url, `kinds_${strategy}`, async (url, pool) => {
        const write = createWriter(strategy, pool, { alertCelsius: 80 })
        await write(batch)
        await write(batch.slice(10, 50)) // a retry of part of it
        seen.push({
          iot: await queryRows(
            url,
            'SELECT seq::int, device, temperature, readings, encode(payload, $1) AS payload FROM iot_events ORDER BY seq',
            ['hex'],
          ),
          logs: await queryRows(url, 'SELECT seq::int, level, service, message FROM log_events ORDER BY seq'),
          stats: await queryRows(
            url,
            'SELECT device, sum(readings)::int AS n, max(temp_max) AS max FROM iot_stats_1s GROUP BY device ORDER BY device',
          ),
          alerts: await queryRows(url, 'SELECT count(*)::int AS n FROM iot_alerts'),
          counts: await queryRows(
            url,
            'SELECT service, sum(total)::int AS total, sum(errors)::int AS errors FROM log_counts_1s GROUP BY service ORDER BY service',
          ),
          market: await queryRows(url, 'SELECT count(*)::int AS n FROM market_events'),
        })
      })
    }
    const [naive, optimized] = seen as Record<string, Record<string, unknown>[]>[]
    expect(optimized).toEqual(naive)
    expect(naive?.iot).toHaveLength(30)
    expect(naive?.iot?.[1]).toMatchObject({ seq: 1, payload: '0100ff', readings: [1, 0.5] })
    expect(naive?.logs?.[0]).toMatchObject({ message: 'line 100\twith a tab' })
    expect(naive?.stats).toEqual([
      { device: 'dev-0', n: 10, max: 87 },
      { device: 'dev-1', n: 10, max: 88 },
      { device: 'dev-2', n: 10, max: 89 },
    ])
    expect(naive?.alerts).toEqual([{ n: 9 }]) // 81..89 degrees
    expect(naive?.counts).toEqual([
      { service: 'api', total: 15, errors: 3 },
      { service: 'db', total: 15, errors: 3 },
    ])
    expect(naive?.market).toEqual([{ n: 1 }])
  })

  test('concurrent batches whose kinds come in opposite orders never deadlock', async ({ postgres }) => {
    // Each batch updates the same market and IoT windows; one starts with its market event, the other with
    // its IoT event. Folded in the order a batch met its kinds, they deadlocked.
    const iot = (seq: number): IotEvent => ({
      kind: 'iot',
      source: 'order',
      seq,
      ts: 1_700_000_000_000,
      device: 'dev',
      temperature: 20,
      humidity: 40,
      readings: [],
    })
    const market = (seq: number) => ({ ...event(seq, 'order'), ts: 1_700_000_000_000, symbol: 'ACME' })
    await withFreshDatabase(postgres.url, 'lock_order', async (url, pool) => {
      const write = createWriter('optimized', pool)
      const deadlocks = async () =>
        Number(
          (await queryRows<{ n: string }>(url, 'SELECT deadlocks AS n FROM pg_stat_database WHERE datname = current_database()'))[0]?.n,
        )
      const before = await deadlocks()
      for (let i = 0; i < 40; i++) {
        const seq = i * 4
        await Promise.all([write([market(seq), iot(seq + 1)]), write([iot(seq + 2), market(seq + 3)])])
      }
      const [row] = await queryRows<{ trades: string; readings: string }>(
        url,
        'SELECT (SELECT sum(trades) FROM market_ohlc_1s) AS trades, (SELECT sum(readings) FROM iot_stats_1s) AS readings',
      )
      expect({ trades: Number(row?.trades), readings: Number(row?.readings), deadlocks: (await deadlocks()) - before }).toEqual({
        trades: 80,
        readings: 80,
        deadlocks: 0,
      })
    })
  })

  test('a failing batch writes nothing of itself', async ({ postgres }) => {
    const pool = createPool(postgres.url, 1)
    try {
      await migrate(pool)
      for (const strategy of STRATEGIES) {
        const source = `atomic-${strategy}`
        const bad = { ...event(2, source), volume: 2 ** 40 } // beyond int: the database refuses the row
        await expect(createWriter(strategy, pool)([event(0, source), event(1, source), bad])).rejects.toThrow()
        const [row] = await queryRows<{ n: string }>(postgres.url, 'SELECT count(*) AS n FROM market_events WHERE source = $1', [source])
        expect(Number(row?.n)).toBe(0)
      }
    } finally {
      await pool.end()
    }
  })
})
