import type { MarketEvent } from './market-event.ts'

/**
 * A batch as PostgreSQL COPY text rows: source, seq, generated_at, symbol, price, volume. Hand-written
 * because it is the hot path and a dozen lines; only `source` is free text (the schema pins the other
 * fields' shapes), so only it is escaped.
 */
export function encodeCopyRows(events: readonly MarketEvent[]): string {
  let out = ''
  for (const e of events) {
    out += `${escapeCopyText(e.source)}\t${e.seq}\t${timestampText(e.ts)}\t${e.symbol}\t${e.price}\t${e.volume}\n`
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
  const us = Math.round(ms * 1000)
  const second = Math.floor(us / 1_000_000)
  // Events of one batch share their second: format it once (toISOString is most of this function's cost).
  if (second !== cachedSecond) {
    cachedSecond = second
    cachedPrefix = new Date(second * 1000).toISOString().slice(0, 20) // 2026-11-23T00:00:00.
  }
  return `${cachedPrefix}${String(us - second * 1_000_000).padStart(6, '0')}Z`
}

let cachedSecond = Number.NaN
let cachedPrefix = ''
