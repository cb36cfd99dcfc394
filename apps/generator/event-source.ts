import { uniformFloat64 } from 'pure-rand/distribution/uniformFloat64'
import { uniformInt } from 'pure-rand/distribution/uniformInt'
import { xoroshiro128plus } from 'pure-rand/generator/xoroshiro128plus'
import { probit } from 'simple-statistics'
import type { IngestEvent, IotEvent, LogEvent, MarketEvent } from '../processor/events.ts'

const SYMBOLS = ['ACME', 'GLOBX', 'INITECH', 'UMBRL', 'STARK', 'WAYNE', 'CYBRD', 'TYRELL'] as const
/** How strongly each symbol follows the market (its beta); the rest of its move is its own. */
const BETAS = [1.2, 0.8, 1.0, 0.6, 1.4, 0.9, 1.1, 0.7] as const
const MARKET_STEP = 0.0004
const OWN_STEP = 0.0006
const EXCHANGES = ['XNYS', 'XNAS', 'XLON', 'XETR'] as const
const DEVICES = 64
const SERVICES = ['api', 'auth', 'billing', 'search', 'db'] as const
// Log levels by share: mostly info, some debug and warnings, a few errors.
const LEVELS: [LogEvent['level'], number][] = [
  ['debug', 0.15],
  ['info', 0.7],
  ['warn', 0.1],
  ['error', 0.05],
]
const WORDS = ['request', 'served', 'user', 'cache', 'miss', 'retry', 'timeout', 'upstream', 'ok', 'slow', 'query', 'batch']

export interface SizeDistribution {
  distribution: 'fixed' | 'uniform' | 'normal' | 'lognormal'
  /** Bytes of an IoT payload or characters of a log message, clamped to [min, max]. */
  min: number
  max: number
}

export interface EventSourceOptions {
  /** Relative weights of the kinds; default market only. */
  mix?: Partial<Record<IngestEvent['kind'], number>>
  /** Fraction (0..1) of market events in schema v2 (with their exchange). */
  v2Fraction?: number
  size?: SizeDistribution
  /** Fraction of events (0..1) whose event time lies up to `lateMaxMs` before their send time. */
  lateFraction?: number
  lateMaxMs?: number
}

/**
 * A deterministic stream of events: same seed and options, same events. Market prices are correlated:
 * every tick moves a shared market factor, and each symbol's log price is beta x market + its own random
 * walk. IoT payloads and log messages have sizes drawn from `size` (normal: mean at the middle, sd a sixth
 * of the range; log-normal: median at the geometric middle, sigma a sixth of the log range). A
 * `lateFraction` of events carries an older event time, so they arrive late and out of order.
 */
export function createEventSource(source: string, seed: number, options: EventSourceOptions = {}): (tsMs: number) => IngestEvent {
  const {
    mix = { market: 1 },
    v2Fraction = 0,
    size = { distribution: 'fixed', min: 100, max: 100 },
    lateFraction = 0,
    lateMaxMs = 2000,
  } = options
  const rng = xoroshiro128plus(seed)
  const uniform = () => Math.min(1 - 1e-12, Math.max(1e-12, uniformFloat64(rng)))
  const weights = (['market', 'iot', 'log'] as const).map((k) => [k, mix[k] ?? 0] as const).filter(([, w]) => w > 0)
  const totalWeight = weights.reduce((n, [, w]) => n + w, 0)
  if (totalWeight <= 0) throw new Error('the event mix needs a positive weight for at least one kind')
  let noise: Buffer | undefined // made on the first IoT event, from its own generator: other kinds' streams stay as they were
  let market = 0
  const own = SYMBOLS.map(() => 0)
  let seq = 0

  const pickKind = () => pickWeighted(weights, uniform() * totalWeight)
  const drawSize = () => {
    const { min, max } = size
    const raw =
      size.distribution === 'fixed'
        ? min
        : size.distribution === 'uniform'
          ? min + uniform() * (max - min)
          : size.distribution === 'normal'
            ? (min + max) / 2 + ((max - min) / 6) * probit(uniform())
            : Math.sqrt(min * max) * Math.exp((Math.log(max / min) / 6) * probit(uniform()))
    return Math.round(Math.min(max, Math.max(min, raw)))
  }
  // The event time: its send time, or up to lateMaxMs before it for a late event.
  const eventTime = (tsMs: number) => (lateFraction > 0 && uniform() < lateFraction ? tsMs - Math.round(uniform() * lateMaxMs) : tsMs)
  const marketEvent = (tsMs: number): MarketEvent => {
    market += MARKET_STEP * probit(uniform())
    const i = uniformInt(rng, 0, SYMBOLS.length - 1)
    own[i] = (own[i] as number) + OWN_STEP * probit(uniform())
    const price = 100 * Math.exp((BETAS[i] as number) * market + (own[i] as number))
    const v2 = v2Fraction > 0 && uniform() < v2Fraction
    // Object literals, not spreads: at 100k events/s the generator's cost per event counts (capacity suite).
    const event: MarketEvent = {
      kind: 'market',
      source,
      seq: seq++,
      ts: eventTime(tsMs),
      symbol: SYMBOLS[i] as string,
      price: Math.round(price * 10_000) / 10_000,
      volume: uniformInt(rng, 1, 1_000),
    }
    if (v2) event.exchange = EXCHANGES[uniformInt(rng, 0, EXCHANGES.length - 1)] as string
    return event
  }
  const iotEvent = (tsMs: number): IotEvent => {
    const device = uniformInt(rng, 0, DEVICES - 1)
    // A slice of seeded noise at a random offset: random-looking bytes at memcpy speed (one draw per byte
    // made the generator, not the processor, the bottleneck). base64 grows 4/3: the text has ~`size` chars.
    noise ??= seededNoise(seed)
    const length = Math.ceil((drawSize() * 3) / 4)
    const offset = uniformInt(rng, 0, noise.length - length)
    const bytes = noise.subarray(offset, offset + length)
    return {
      kind: 'iot',
      source,
      seq: seq++,
      ts: eventTime(tsMs),
      device: `dev-${device}`,
      temperature: Math.round((20 + device / 4 + 3 * probit(uniform())) * 100) / 100,
      humidity: Math.round(Math.min(100, Math.max(0, 45 + 10 * probit(uniform()))) * 10) / 10,
      readings: Array.from({ length: uniformInt(rng, 1, 16) }, () => Math.round(uniform() * 1000) / 10),
      payload: bytes.toString('base64'),
    }
  }
  const logEvent = (tsMs: number): LogEvent => {
    const level = pickWeighted(LEVELS, uniform())
    const target = drawSize()
    let message = ''
    while (message.length < target) message += `${WORDS[uniformInt(rng, 0, WORDS.length - 1)]} `
    return {
      kind: 'log',
      source,
      seq: seq++,
      ts: eventTime(tsMs),
      level,
      service: SERVICES[uniformInt(rng, 0, SERVICES.length - 1)] as string,
      message: message.slice(0, target),
    }
  }
  return (tsMs) => {
    const kind = weights.length === 1 ? weights[0]?.[0] : pickKind()
    return kind === 'iot' ? iotEvent(tsMs) : kind === 'log' ? logEvent(tsMs) : marketEvent(tsMs)
  }
}

function seededNoise(seed: number): Buffer {
  const rng = xoroshiro128plus(seed ^ 0x5eed)
  const noise = Buffer.alloc(64 * 1024)
  for (let b = 0; b < noise.length; b++) noise[b] = uniformInt(rng, 0, 255)
  return noise
}

/** The item whose cumulative weight first exceeds `point` (a draw in [0, total weight)). */
function pickWeighted<T>(items: readonly (readonly [T, number])[], point: number): T {
  let cumulative = 0
  for (const [item, weight] of items) {
    cumulative += weight
    if (point < cumulative) return item
  }
  return (items[items.length - 1] as readonly [T, number])[0]
}
