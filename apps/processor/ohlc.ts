import type { MarketEvent } from './events.ts'
import { foldWindows } from './windows.ts'

/** One symbol's trades within one second (bucket = the second's start, epoch ms). */
export interface OhlcWindow {
  symbol: string
  bucketMs: number
  open: number
  openTs: number
  high: number
  low: number
  close: number
  closeTs: number
  volume: number
  notional: number
  trades: number
}

/**
 * Folds trades into per-symbol one-second windows. Open and close follow event time, not arrival order
 * (ties broken by sequence), so the result is the same for any order of the same events.
 */
export function aggregateOhlc(events: readonly MarketEvent[]): OhlcWindow[] {
  const windows = foldWindows(
    events,
    (e) => e.symbol,
    (e, bucketMs) => ({
      symbol: e.symbol,
      bucketMs,
      open: e.price,
      openTs: e.ts,
      openSeq: e.seq,
      high: e.price,
      low: e.price,
      close: e.price,
      closeTs: e.ts,
      closeSeq: e.seq,
      volume: e.volume,
      notional: e.price * e.volume,
      trades: 1,
    }),
    (w, e) => {
      if (e.ts < w.openTs || (e.ts === w.openTs && e.seq < w.openSeq)) Object.assign(w, { open: e.price, openTs: e.ts, openSeq: e.seq })
      if (e.ts > w.closeTs || (e.ts === w.closeTs && e.seq > w.closeSeq))
        Object.assign(w, { close: e.price, closeTs: e.ts, closeSeq: e.seq })
      w.high = Math.max(w.high, e.price)
      w.low = Math.min(w.low, e.price)
      w.volume += e.volume
      w.notional += e.price * e.volume
      w.trades++
    },
  )
  return windows.map(({ openSeq: _o, closeSeq: _c, ...w }) => w)
}

/**
 * Event-time lateness for the windows: the watermark is the latest event time seen; an event older than
 * `watermark - allowedLatenessMs` is too late to change its window (its raw row is still stored).
 */
export class LatenessFilter {
  #watermark = Number.NEGATIVE_INFINITY
  readonly #allowedLatenessMs: number
  readonly #onDropped: (count: number) => void

  constructor(allowedLatenessMs: number, onDropped: (count: number) => void = () => {}) {
    this.#allowedLatenessMs = allowedLatenessMs
    this.#onDropped = onDropped
  }

  onTime<E extends { ts: number }>(events: readonly E[]): E[] {
    const cutoff = this.#watermark - this.#allowedLatenessMs
    const kept = events.filter((e) => e.ts >= cutoff)
    if (kept.length < events.length) this.#onDropped(events.length - kept.length)
    for (const e of kept) if (e.ts > this.#watermark) this.#watermark = e.ts
    return kept
  }
}
