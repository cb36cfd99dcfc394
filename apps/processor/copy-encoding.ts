import type { IotEvent, LogEvent, MarketEvent } from './events.ts'

// PostgreSQL COPY text rows, one function per table. Hand-written because it is the hot path and a dozen
// lines each; free text (source, message) is escaped, the other fields' shapes are pinned by the schema.

const NULL = '\\N'

/** market_events: source, seq, generated_at, symbol, price, volume, exchange. */
export function encodeCopyRows(events: readonly MarketEvent[]): string {
  let out = ''
  for (const e of events) {
    out += `${escapeCopyText(e.source)}\t${e.seq}\t${timestampText(e.ts)}\t${e.symbol}\t${e.price}\t${e.volume}\t${e.exchange ?? NULL}\n`
  }
  return out
}

/** iot_events: source, seq, generated_at, device, temperature, humidity, readings (float8[]), payload (bytea). */
export function encodeIotRows(events: readonly IotEvent[]): string {
  let out = ''
  for (const e of events) {
    // bytea in hex; the backslash of \x is doubled, as COPY text unescapes it once.
    const payload = e.payload === undefined ? NULL : `\\\\x${Buffer.from(e.payload, 'base64').toString('hex')}`
    out += `${escapeCopyText(e.source)}\t${e.seq}\t${timestampText(e.ts)}\t${e.device}\t${e.temperature}\t${e.humidity}\t{${e.readings.join(',')}}\t${payload}\n`
  }
  return out
}

/** log_events: source, seq, generated_at, level, service, message. */
export function encodeLogRows(events: readonly LogEvent[]): string {
  let out = ''
  for (const e of events) {
    out += `${escapeCopyText(e.source)}\t${e.seq}\t${timestampText(e.ts)}\t${e.level}\t${e.service}\t${escapeCopyText(e.message)}\n`
  }
  return out
}

const SPECIAL = /[\\\t\n\r]/g
const ESCAPES: Record<string, string> = { '\\': '\\\\', '\t': '\\t', '\n': '\\n', '\r': '\\r' }

export function escapeCopyText(value: string): string {
  return SPECIAL.test(value) ? value.replace(SPECIAL, (c) => ESCAPES[c] as string) : value
}

/** Epoch milliseconds (fractional) as a UTC timestamptz literal rounded to the microsecond, PostgreSQL's precision. */
export function timestampText(ms: number): string {
  // Whole seconds and the microseconds within one apart: ms * 1000 as one number is inexact past 2^53 µs
  // (the year 2255), where it stored 253402300799999 ms as ...999.008.
  let second = Math.floor(ms / 1000)
  let micros = Math.round((ms - second * 1000) * 1000)
  if (micros >= 1_000_000) {
    second += 1
    micros -= 1_000_000
  }
  // Events of one batch share their second: format it once (toISOString is most of this function's cost).
  if (second !== cachedSecond) {
    cachedSecond = second
    cachedPrefix = new Date(second * 1000).toISOString().slice(0, 20) // 2026-11-23T00:00:00.
  }
  return `${cachedPrefix}${String(micros).padStart(6, '0')}Z`
}

let cachedSecond = Number.NaN
let cachedPrefix = ''
