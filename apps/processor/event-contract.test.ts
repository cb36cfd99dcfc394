import { describe, expect } from 'vitest'
import { test } from '../../harness/fixtures.ts'
import { queryRows } from '../../harness/sql.ts'
import { COLUMN_TYPES, EVENT_SCHEMAS, MAX_TEXT_LENGTH, MAX_TIMESTAMP_MS, STORABLE_TEXT, TABLE_COLUMNS } from './events.ts'
import { validateBatch } from './validate.ts'

// The ingest contract (events.ts) against the real tables: the migrated columns have the contract's types,
// and what validation passes at each type's edge the database stores as sent; one step past an edge is a
// 400 naming the field, never a 500.
const post = (url: string, body: unknown) =>
  fetch(`${url}/ingest`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) })

const UNSTORABLE = ['a\u0000b', 'a\ud800b', '\udc00', 'A\u0000']

test('every text field of the contract refuses what a text column cannot store, and keeps what it can', () => {
  const events = (field: string, value: string) => ({
    events: [{ kind: 'log', source: 's', seq: 1, ts: 1, level: 'info', service: 's', message: 'm', [field]: value }],
  })
  for (const field of ['source', 'message', 'service']) {
    for (const value of UNSTORABLE)
      expect(validateBatch(events(field, value)), `${field} ${JSON.stringify(value)}`).toMatchObject({ ok: false })
  }
  expect(validateBatch(events('message', 'emoji 😀 and ü'))).toMatchObject({ ok: true })
  // Every field stored in a text column carries the keyword, or a pattern (or enum) of its own that
  // refuses the same.
  for (const [kind, { columns }] of Object.entries(TABLE_COLUMNS)) {
    const properties = EVENT_SCHEMAS[kind as keyof typeof EVENT_SCHEMAS].properties as Record<string, { pattern?: string; enum?: unknown }>
    for (const [column, type] of Object.entries(columns)) {
      const property = properties[column] ?? {}
      if (type !== 'text' || property.enum) continue
      if (property.pattern === undefined) {
        expect(property, `${kind}.${column}`).toMatchObject({ [STORABLE_TEXT]: true })
        continue
      }
      for (const value of UNSTORABLE)
        expect(new RegExp(property.pattern, 'u').test(value), `${kind}.${column} ${JSON.stringify(value)}`).toBe(false)
    }
  }
})

describe('against the migrated tables', { timeout: 60_000 }, () => {
  test("each event table's columns have the contract's types", async ({ processor, postgres }) => {
    expect(processor.url).toBeTruthy() // the processor migrates the database it starts on
    for (const { table, columns } of Object.values(TABLE_COLUMNS)) {
      const rows = await queryRows<{ name: string; type: string }>(
        postgres.url,
        `SELECT attname AS name, format_type(atttypid, atttypmod) AS type FROM pg_attribute
         WHERE attrelid = $1::regclass AND attnum > 0 AND NOT attisdropped`,
        [table],
      )
      const actual = Object.fromEntries(rows.map((r) => [r.name, r.type]))
      const declared = Object.fromEntries(Object.entries(columns).map(([name, type]) => [name, COLUMN_TYPES[type].sql]))
      expect(actual, table).toEqual(declared)
    }
  })

  test('values at the edge of each column type are stored exactly as sent', async ({ processor, postgres }) => {
    const source = 'edge-😀-ü'
    const events = [
      {
        kind: 'market',
        source,
        seq: Number.MAX_SAFE_INTEGER,
        ts: MAX_TIMESTAMP_MS,
        symbol: 'A',
        price: Number.MAX_VALUE,
        volume: 2 ** 31 - 1,
      },
      { kind: 'market', source, seq: 0, ts: 0.001, symbol: 'B', price: Number.MIN_VALUE, volume: 0 },
      { kind: 'log', source, seq: 1, ts: 1, level: 'info', service: 's', message: `\\\t\n\r ${'x'.repeat(MAX_TEXT_LENGTH - 10)}` },
    ]
    const response = await post(processor.url, { events })
    expect(response.status, await response.clone().text()).toBe(200)
    const stored = await queryRows<{ seq: string; ms: string; price: number; volume: number }>(
      postgres.url,
      'SELECT seq::text, (extract(epoch FROM generated_at) * 1000)::text AS ms, price, volume FROM market_events WHERE source = $1 ORDER BY seq',
      [source],
    )
    const market = stored.map((r) => ({ ...r, ms: Number(r.ms) }))
    expect(market).toEqual([
      { seq: '0', ms: 0.001, price: Number.MIN_VALUE, volume: 0 },
      { seq: String(Number.MAX_SAFE_INTEGER), ms: MAX_TIMESTAMP_MS, price: Number.MAX_VALUE, volume: 2 ** 31 - 1 },
    ])
    const [log] = await queryRows<{ message: string }>(postgres.url, 'SELECT message FROM log_events WHERE source = $1', [source])
    expect(log?.message).toBe(events[2]?.message)
  })

  test.for([
    { field: 'source', value: 'a\u0000b', says: 'must be text PostgreSQL can store' },
    { field: 'source', value: 'a\ud800b', says: 'must be text PostgreSQL can store' },
    { field: 'ts', value: MAX_TIMESTAMP_MS + 1, says: `must be <= ${MAX_TIMESTAMP_MS}` },
    { field: 'seq', value: Number.MAX_SAFE_INTEGER + 1, says: `must be <= ${Number.MAX_SAFE_INTEGER}` },
    { field: 'volume', value: 2 ** 31, says: `must be <= ${2 ** 31 - 1}` },
  ])('$field = $value is refused with 400, naming it', async ({ field, value, says }, { processor, postgres }) => {
    const source = `refused-${field}`
    const event = { kind: 'market', source, seq: 1, ts: Date.now(), symbol: 'A', price: 1, volume: 1, [field]: value }
    const response = await post(processor.url, { events: [event] })
    expect(response.status).toBe(400)
    expect(await response.json()).toMatchObject({ path: `/events/0/${field}`, message: expect.stringContaining(says) })
    const [row] = await queryRows<{ n: string }>(postgres.url, 'SELECT count(*) AS n FROM market_events WHERE source LIKE $1', [
      'refused-%',
    ])
    expect(Number(row?.n)).toBe(0)
  })
})

test('a log message with an unpaired surrogate is refused by validation itself', () => {
  const result = validateBatch(
    JSON.parse('{"events":[{"kind":"log","source":"s","seq":1,"ts":1,"level":"info","service":"s","message":"x\\ud800"}]}'),
  )
  expect(result).toMatchObject({ ok: false, error: { path: '/events/0/message' } })
})
