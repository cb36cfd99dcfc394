import { expect, test } from 'vitest'
import type { MarketEvent } from './events.ts'
import { aggregateOhlc, LatenessFilter } from './ohlc.ts'

const trade = (seq: number, ts: number, price: number, volume = 10, symbol = 'ACME'): MarketEvent => ({
  kind: 'market',
  source: 's',
  seq,
  ts,
  symbol,
  price,
  volume,
})

// Event times in epoch ms: three ACME trades in the second starting at 1,000,000 ms, one in the next.
const TRADES = [
  trade(0, 1_000_100, 10),
  trade(1, 1_000_500, 12, 30),
  trade(2, 1_000_900, 9),
  trade(3, 1_001_200, 11),
  trade(4, 1_000_300, 8, 5, 'GLOBX'),
]

test('folds trades into one window per symbol and second, with OHLC, volume and notional', () => {
  const windows = aggregateOhlc(TRADES)
  expect(windows).toContainEqual({
    symbol: 'ACME',
    bucketMs: 1_000_000,
    open: 10,
    openTs: 1_000_100,
    high: 12,
    low: 9,
    close: 9,
    closeTs: 1_000_900,
    volume: 50,
    notional: 10 * 10 + 12 * 30 + 9 * 10,
    trades: 3,
  })
  expect(windows.map((w) => `${w.symbol}@${w.bucketMs}`).sort()).toEqual(['ACME@1000000', 'ACME@1001000', 'GLOBX@1000000'])
})

test('open and close follow event time, so arrival order does not matter', () => {
  const reversed = aggregateOhlc([...TRADES].reverse())
  const sorted = (w: ReturnType<typeof aggregateOhlc>) =>
    [...w].sort((a, b) => `${a.symbol}${a.bucketMs}`.localeCompare(`${b.symbol}${b.bucketMs}`))
  expect(sorted(reversed)).toEqual(sorted(aggregateOhlc(TRADES)))
})

test('late events beyond the allowed lateness are dropped and counted; the watermark only moves forward', () => {
  let dropped = 0
  const filter = new LatenessFilter(1000, (n) => {
    dropped += n
  })
  expect(filter.onTime([trade(0, 10_000, 1)])).toHaveLength(1)
  const kept = filter.onTime([trade(1, 9_500, 1), trade(2, 8_999, 1), trade(3, 12_000, 1)])
  expect(kept.map((e) => e.seq)).toEqual([1, 3])
  expect(dropped).toBe(1)
  expect(filter.onTime([trade(4, 10_999, 1)])).toEqual([]) // watermark is now 12,000
  expect(dropped).toBe(2)
})
