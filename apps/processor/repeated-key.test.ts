import { expect, test } from 'vitest'
import type { IngestEvent } from './events.ts'
import { repeatedKey } from './repeated-key.ts'

const e = (source: string, seq: number) => ({ kind: 'market', source, seq, ts: 1, symbol: 'A', price: 1, volume: 1 }) as IngestEvent

test.each([
  { name: 'one source in rising order', events: [e('a', 1), e('a', 2), e('a', 9)], found: undefined },
  { name: 'interleaved sources, each key once', events: [e('a', 2), e('b', 2), e('a', 1)], found: undefined },
  { name: 'a key twice, far apart', events: [e('a', 1), e('b', 1), e('a', 2), e('a', 1)], found: { first: 0, again: 3 } },
  { name: 'one source, a sequence repeated', events: [e('a', 1), e('a', 2), e('a', 2)], found: { first: 1, again: 2 } },
  { name: 'a source whose name holds the separator', events: [e('a\u00001', 2), e('a', 1)], found: undefined },
])('$name', ({ events, found }) => {
  expect(repeatedKey(events)).toEqual(found)
})
