import { uniformFloat64 } from 'pure-rand/distribution/uniformFloat64'
import { uniformInt } from 'pure-rand/distribution/uniformInt'
import { xoroshiro128plus } from 'pure-rand/generator/xoroshiro128plus'
import { probit } from 'simple-statistics'
import type { MarketEvent } from '../processor/events.ts'

const SYMBOLS = ['ACME', 'GLOBX', 'INITECH', 'UMBRL', 'STARK', 'WAYNE', 'CYBRD', 'TYRELL'] as const
/** How strongly each symbol follows the market (its beta); the rest of its move is its own. */
const BETAS = [1.2, 0.8, 1.0, 0.6, 1.4, 0.9, 1.1, 0.7] as const
const MARKET_STEP = 0.0004
const OWN_STEP = 0.0006

export interface MarketSourceOptions {
  /** Fraction of events (0..1) whose event time lies up to `lateMaxMs` before their send time. */
  lateFraction?: number
  lateMaxMs?: number
}

/**
 * A deterministic stream of trade ticks: same seed, same events. Prices are correlated: every tick moves a
 * shared market factor, and each symbol's log price is beta x market + its own random walk. A configured
 * fraction of events carries an older event time, so they arrive late and out of order.
 */
export function createMarketSource(source: string, seed: number, options: MarketSourceOptions = {}): (tsMs: number) => MarketEvent {
  const { lateFraction = 0, lateMaxMs = 2000 } = options
  const rng = xoroshiro128plus(seed)
  const uniform = () => Math.min(1 - 1e-12, Math.max(1e-12, uniformFloat64(rng)))
  let market = 0
  const own = SYMBOLS.map(() => 0)
  let seq = 0
  return (tsMs) => {
    market += MARKET_STEP * probit(uniform())
    const i = uniformInt(rng, 0, SYMBOLS.length - 1)
    own[i] = (own[i] as number) + OWN_STEP * probit(uniform())
    const price = 100 * Math.exp((BETAS[i] as number) * market + (own[i] as number))
    const late = lateFraction > 0 && uniform() < lateFraction ? Math.round(uniform() * lateMaxMs) : 0
    return {
      kind: 'market',
      source,
      seq: seq++,
      ts: tsMs - late,
      symbol: SYMBOLS[i] as string,
      price: Math.round(price * 10_000) / 10_000,
      volume: uniformInt(rng, 1, 1_000),
    }
  }
}
