import { expect, test } from 'vitest'
import { isDatabaseUnavailable, isDataRefusal, refusedPath } from './database-errors.ts'
import type { IngestEvent } from './events.ts'

// Pure logic over error objects shaped as node-postgres gives them (isolation.test.ts meets real ones).
const events = [
  { kind: 'log', source: 's', seq: 0, ts: 1, level: 'info', service: 'a', message: 'm' },
  { kind: 'market', source: 's', seq: 1, ts: 1, symbol: 'A', price: 1, volume: 1 },
  { kind: 'market', source: 's', seq: 2, ts: 1, symbol: 'B', price: 1, volume: 1 },
] as IngestEvent[]

test.each([
  { where: 'COPY market_events, line 2, column symbol: "B"', path: '/events/2/symbol' },
  { where: 'COPY market_events_staging, line 1, column generated_at: "x"', path: '/events/1/ts' },
  { where: 'COPY log_events, line 1: "s\t0\t..."', path: '/events/0' },
  { where: 'COPY iot_events, line 1', path: '/events' },
  { where: 'SQL statement "INSERT ..."', path: '/events' },
])('$where points at $path', ({ where, path }) => {
  expect(refusedPath({ code: '23514', where }, events)).toBe(path)
})

test('data exceptions and constraint violations are refusals; a database that is gone is not', () => {
  expect(isDataRefusal({ code: '22021' })).toBe(true)
  expect(isDataRefusal({ code: '23514' })).toBe(true)
  expect(isDataRefusal({ code: '57P01' })).toBe(false)
  expect(isDataRefusal(new Error('connect ECONNREFUSED'))).toBe(false)
  expect(isDataRefusal(undefined)).toBe(false)
})

test('a database that is gone, restarting or unreachable is unavailable; a refused value is not', () => {
  expect(isDatabaseUnavailable({ code: 'ECONNREFUSED' })).toBe(true)
  expect(isDatabaseUnavailable({ code: '57P01' })).toBe(true)
  expect(isDatabaseUnavailable({ code: '08006' })).toBe(true)
  expect(isDatabaseUnavailable(new Error('Connection terminated unexpectedly'))).toBe(true)
  expect(isDatabaseUnavailable({ code: '23514' })).toBe(false)
  expect(isDatabaseUnavailable(new Error('syntax error'))).toBe(false)
})
