import type { IngestEvent } from './events.ts'

/**
 * The first (source, seq) a batch holds twice, as the indexes of its two events; undefined when each key
 * appears once. A key names one event, so a batch that repeats one is refused whole, whether the two
 * events agree or not: the processor cannot tell which a producer meant. Most batches come from one
 * source in rising sequence, which one pass proves without building a set.
 */
export function repeatedKey(events: readonly IngestEvent[]): { first: number; again: number } | undefined {
  const source = events[0]?.source
  let rising = true
  for (let i = 1; i < events.length && rising; i++) {
    const e = events[i] as IngestEvent
    rising = e.source === source && e.seq > (events[i - 1] as IngestEvent).seq
  }
  if (rising) return undefined
  const seen = new Map<string, number>()
  for (const [index, e] of events.entries()) {
    const key = `${e.seq}\u0000${e.source}`
    const first = seen.get(key)
    if (first !== undefined) return { first, again: index }
    seen.set(key, index)
  }
  return undefined
}
