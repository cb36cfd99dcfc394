import { expect, test } from 'vitest'
import { MAX_EVENTS_PER_BATCH } from './events.ts'
import { validateBatch } from './validate.ts'

const event = { kind: 'market', source: 'gen-1', seq: 0, ts: 1_700_000_000_000.5, symbol: 'ACME', price: 101.25, volume: 300 }

test('a well-formed batch passes and is returned as is', () => {
  const body = { events: [event, { ...event, seq: 1 }] }
  expect(validateBatch(body)).toEqual({ ok: true, batch: body })
})

test.each([
  { name: 'a wrong type', patch: { price: '101' }, path: '/events/1/price', message: 'must be number' },
  { name: 'a negative sequence', patch: { seq: -1 }, path: '/events/1/seq', message: 'must be >= 0' },
  { name: 'a fractional volume', patch: { volume: 1.5 }, path: '/events/1/volume', message: 'must be integer' },
  {
    name: 'an unknown event kind',
    patch: { kind: 'metrics' },
    path: '/events/1/kind',
    message: 'unknown event kind "metrics"; use one of market, iot, log',
  },
  {
    name: 'a malformed v2 exchange',
    patch: { exchange: 'nyse' },
    path: '/events/1/exchange',
    message: 'must match pattern "^[A-Z]{2,8}$"',
  },
  { name: 'a lower-case symbol', patch: { symbol: 'acme' }, path: '/events/1/symbol', message: 'must match pattern "^[A-Z0-9.]{1,12}$"' },
  { name: 'an unknown field', patch: { colour: 'red' }, path: '/events/1', message: "unknown field 'colour'" },
])('$name is rejected at its JSON path', ({ patch, path, message }) => {
  const result = validateBatch({ events: [event, { ...event, ...patch }] })
  expect(result).toEqual({ ok: false, error: { path, message: `${path}: ${message}`, tooLarge: false } })
})

test('a missing field is named', () => {
  const { price: _, ...noPrice } = event
  const result = validateBatch({ events: [noPrice] })
  expect(result.ok).toBe(false)
  expect(!result.ok && result.error.message).toContain("must have required property 'price'")
})

test.each([
  { name: 'an empty batch', body: { events: [] } },
  { name: 'a body without events', body: { items: [event] } },
  { name: 'a bare array', body: [event] },
  { name: 'null', body: null },
  { name: 'an oversize batch', body: { events: Array.from({ length: MAX_EVENTS_PER_BATCH + 1 }, (_, seq) => ({ ...event, seq })) } },
])('$name is rejected', ({ body }) => {
  expect(validateBatch(body).ok).toBe(false)
})

test('only too many events counts as too large', () => {
  const many = validateBatch({ events: Array.from({ length: MAX_EVENTS_PER_BATCH + 1 }, (_, seq) => ({ ...event, seq })) })
  expect(!many.ok && many.error.tooLarge).toBe(true)
  const bad = validateBatch({ events: [{ ...event, seq: 'x' }] })
  expect(!bad.ok && bad.error.tooLarge).toBe(false)
})

test('IoT and log events of one batch pass beside market events, v2 market events too', () => {
  const iot = {
    kind: 'iot',
    source: 's',
    seq: 1,
    ts: 1,
    device: 'dev-1',
    temperature: 21.5,
    humidity: 40,
    readings: [1, 2.5],
    payload: 'AAEC',
  }
  const log = { kind: 'log', source: 's', seq: 2, ts: 1, level: 'error', service: 'api', message: 'timeout\tcalling db' }
  const v2 = { ...event, seq: 3, exchange: 'XNYS' }
  expect(validateBatch({ events: [event, iot, log, v2] }).ok).toBe(true)
})

test.each([
  { name: 'an IoT humidity over 100%', patch: { humidity: 101 }, path: '/events/0/humidity' },
  { name: 'an IoT payload that is not base64', patch: { payload: 'not base64!' }, path: '/events/0/payload' },
  { name: 'an IoT reading list over 256 values', patch: { readings: Array.from({ length: 257 }, () => 1) }, path: '/events/0/readings' },
])('$name is rejected at its path', ({ patch, path }) => {
  const iot = { kind: 'iot', source: 's', seq: 1, ts: 1, device: 'dev-1', temperature: 21.5, humidity: 40, readings: [], ...patch }
  const result = validateBatch({ events: [iot] })
  expect(!result.ok && result.error.path).toBe(path)
})
