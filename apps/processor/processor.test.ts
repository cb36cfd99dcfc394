import { expect } from 'vitest'
import { describeEachImplementation, test } from '../../harness/fixtures.ts'
import { queryRows } from '../../harness/sql.ts'
import type { MarketEvent } from './events.ts'
import { aggregateOhlc } from './ohlc.ts'

// The real processor process against a real PostgreSQL, through HTTP: the ingest contract, on each implementation.
const eventOf = (seq: number, source: string) => ({
  kind: 'market',
  source,
  seq,
  ts: Date.now(),
  symbol: 'ACME',
  price: 100 + seq,
  volume: 10,
})

const post = (url: string, body: unknown, contentType = 'application/json') =>
  fetch(`${url}/ingest`, {
    method: 'POST',
    headers: { 'content-type': contentType },
    body: typeof body === 'string' ? body : JSON.stringify(body),
  })

const countRowsOf = async (url: string, source: string) =>
  Number((await queryRows<{ n: string }>(url, 'SELECT count(*) AS n FROM market_events WHERE source = $1', [source]))[0]?.n)

describeEachImplementation('ingest contract', { timeout: 60_000 }, (implementation) => {
  // Both implementations write to the file's one database: each keeps to its own sources and symbol.
  const event = (seq: number, source = 'proc-test') => eventOf(seq, `${implementation}-${source}`)
  const countRows = (url: string, source: string) => countRowsOf(url, `${implementation}-${source}`)
  const orderSymbol = `ORDR.${implementation.slice(0, 2).toUpperCase()}`
  test('acknowledges a batch with its count once the rows are committed', async ({ processor, postgres }) => {
    const response = await post(processor.url, { events: [event(0, 'ack'), event(1, 'ack'), event(2, 'ack')] })
    expect(response.status).toBe(200)
    expect(await response.json()).toEqual({ accepted: 3, stored: 3 })
    expect(await countRows(postgres.url, 'ack')).toBe(3)
  })

  test('a resent batch is acknowledged again, says it stored nothing new, and writes no duplicate rows', async ({
    processor,
    postgres,
  }) => {
    const batch = { events: [event(0, 'retry'), event(1, 'retry')] }
    expect(await (await post(processor.url, batch)).json()).toEqual({ accepted: 2, stored: 2 })
    expect(await (await post(processor.url, { events: [...batch.events, event(2, 'retry')] })).json()).toEqual({ accepted: 3, stored: 1 })
    expect(await countRows(postgres.url, 'retry')).toBe(3)
  })

  test('another event under a stored key is acknowledged, not stored: the first contents stay', async ({ processor, postgres }) => {
    await post(processor.url, { events: [event(0, 'first-stays')] })
    const other = { ...event(0, 'first-stays'), price: 999, symbol: 'OTHER' }
    expect(await (await post(processor.url, { events: [other, event(1, 'first-stays')] })).json()).toEqual({ accepted: 2, stored: 1 })
    const rows = await queryRows<{ symbol: string; price: number }>(
      postgres.url,
      'SELECT symbol, price FROM market_events WHERE source = $1 AND seq = 0',
      [`${implementation}-first-stays`],
    )
    expect(rows).toEqual([{ symbol: 'ACME', price: 100 }])
  })

  test.for([
    { name: 'with other contents', second: { ...event(3, 'repeat'), price: 1 } },
    { name: 'identical', second: event(3, 'repeat') },
  ])(
    'a batch that holds a key twice, $name, is refused naming both places, and writes nothing',
    async ({ second }, { processor, postgres }) => {
      const response = await post(processor.url, { events: [event(2, 'repeat'), event(3, 'repeat'), event(4, 'repeat'), second] })
      expect(response.status).toBe(400)
      expect(await response.json()).toMatchObject({
        path: '/events/3',
        message: `/events/3: (source "${implementation}-repeat", seq 3) is also /events/1; a key names one event, send it once`,
      })
      expect(await countRows(postgres.url, 'repeat')).toBe(0)
    },
  )

  test('two requests racing with the same key count it stored once between them', async ({ processor, postgres }) => {
    const answers = await Promise.all(
      Array.from(
        { length: 8 },
        async () => (await (await post(processor.url, { events: [event(0, 'race')] })).json()) as { stored: number },
      ),
    )
    expect(answers.reduce((sum, a) => sum + a.stored, 0)).toBe(1)
    expect(await countRows(postgres.url, 'race')).toBe(1)
  })

  test('a batch with one bad event is refused whole, naming the field, and writes nothing', async ({ processor, postgres }) => {
    const response = await post(processor.url, { events: [event(0, 'mixed'), { ...event(1, 'mixed'), price: 'NaN' }] })
    expect(response.status).toBe(400)
    expect(await response.json()).toMatchObject({ error: 'invalid batch', path: '/events/1/price' })
    expect(await countRows(postgres.url, 'mixed')).toBe(0)
  })

  test('malformed JSON and a wrong content type get 4xx, and the service keeps serving', async ({ processor }) => {
    expect((await post(processor.url, '{"events": [')).status).toBe(400)
    expect((await post(processor.url, 'a,b,c', 'text/csv')).status).toBe(415)
    expect((await post(processor.url, { events: [event(0, 'after')] })).status).toBe(200)
  })

  test('per-key order: windows equal in-order processing however concurrent batches of a symbol arrive', async ({
    processor,
    postgres,
  }) => {
    // 60 trades of one symbol over 3 s of event time, cut into 12 batches sent concurrently in reverse:
    // batches commit in whatever order the 4 writer connections finish them.
    const start = Date.now() - 2000
    const trades = Array.from({ length: 60 }, (_, i) => ({
      ...event(i, 'order'),
      symbol: orderSymbol,
      ts: start + i * 50,
      price: 100 + ((i * 7) % 13),
      volume: 1 + (i % 5),
    }))
    const batches = Array.from({ length: 12 }, (_, b) => trades.slice(b * 5, b * 5 + 5)).reverse()
    const statuses = await Promise.all(batches.map(async (events) => (await post(processor.url, { events })).status))
    expect(statuses.every((s) => s === 200)).toBe(true)
    const expected = aggregateOhlc(trades as MarketEvent[]).sort((a, b) => a.bucketMs - b.bucketMs)
    const stored = await queryRows<{
      bucket: Date
      open: number
      close: number
      high: number
      low: number
      volume: string
      trades: number
    }>(postgres.url, 'SELECT bucket, open, close, high, low, volume, trades FROM market_ohlc_1s WHERE symbol = $1 ORDER BY bucket', [
      orderSymbol,
    ])
    expect(
      stored.map((w) => ({
        bucketMs: w.bucket.getTime(),
        open: w.open,
        close: w.close,
        high: w.high,
        low: w.low,
        volume: Number(w.volume),
        trades: w.trades,
      })),
    ).toEqual(
      expected.map((w) => ({
        bucketMs: w.bucketMs,
        open: w.open,
        close: w.close,
        high: w.high,
        low: w.low,
        volume: w.volume,
        trades: w.trades,
      })),
    )
  })

  test('exposes Prometheus metrics with event counters and peak RSS', async ({ processor }) => {
    await post(processor.url, { events: [event(0, 'metrics')] })
    const text = await (await fetch(`${processor.url}/metrics`)).text()
    expect(text).toMatch(/^processor_events_committed_total [1-9]\d*$/m)
    expect(text).toMatch(/^processor_max_resident_memory_bytes [1-9]\d*$/m)
    expect(text).toMatch(/^processor_events_rejected_total\{reason="invalid"\} [1-9]\d*$/m)
  })
})
