import { uniformFloat64 } from 'pure-rand/distribution/uniformFloat64'
import { uniformInt } from 'pure-rand/distribution/uniformInt'
import { xoroshiro128plus } from 'pure-rand/generator/xoroshiro128plus'
import type { MarketEvent } from '../processor/market-event.ts'

const SYMBOLS = ['ACME', 'GLOBX', 'INITECH', 'UMBRL', 'STARK', 'WAYNE', 'CYBRD', 'TYRELL'] as const

/** A deterministic stream of trade ticks: same seed, same events. Prices take a small random walk. */
export function createMarketSource(source: string, seed: number): (tsMs: number) => MarketEvent {
  const rng = xoroshiro128plus(seed)
  const prices = SYMBOLS.map(() => 100)
  let seq = 0
  return (tsMs) => {
    const i = uniformInt(rng, 0, SYMBOLS.length - 1)
    const price = (prices[i] as number) * (1 + (uniformFloat64(rng) - 0.5) * 0.002)
    prices[i] = price
    return {
      kind: 'market',
      source,
      seq: seq++,
      ts: tsMs,
      symbol: SYMBOLS[i] as string,
      price: Math.round(price * 10_000) / 10_000,
      volume: uniformInt(rng, 1, 1_000),
    }
  }
}
