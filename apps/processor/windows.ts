/** The start of an event's one-second window (epoch ms). */
export const bucketOf = (ts: number) => Math.floor(ts / 1000) * 1000

/**
 * Folds events into one window per key and second: `open` makes a window from its first event, `add`
 * merges every later one. Market OHLC, IoT statistics and log counts all fold this way.
 */
export function foldWindows<E extends { ts: number }, W>(
  events: readonly E[],
  keyOf: (e: E) => string,
  open: (e: E, bucketMs: number) => W,
  add: (w: W, e: E) => void,
): W[] {
  const windows = new Map<string, W>()
  for (const e of events) {
    const bucketMs = bucketOf(e.ts)
    const key = `${keyOf(e)}\u0000${bucketMs}`
    const w = windows.get(key)
    if (w) add(w, e)
    else windows.set(key, open(e, bucketMs))
  }
  return [...windows.values()]
}

/**
 * The windows sorted by key, then second: one lock order for every transaction, so concurrent commits
 * upserting the same windows cannot deadlock.
 */
export function inLockOrder<W extends { bucketMs: number }>(windows: W[], keyOf: (w: W) => string): W[] {
  return windows.sort((a, b) => {
    const [ka, kb] = [keyOf(a), keyOf(b)]
    return ka < kb ? -1 : ka > kb ? 1 : a.bucketMs - b.bucketMs
  })
}

/** Rows as one array per field, in `fields` order: the parameters of an `unnest(...)` insert. */
export const columnsOf = <T>(rows: readonly T[], fields: readonly (keyof T)[]) => fields.map((f) => rows.map((r) => r[f]))
