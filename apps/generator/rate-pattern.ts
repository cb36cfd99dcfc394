import { Ajv, type JSONSchemaType } from 'ajv'
import { uniformFloat64 } from 'pure-rand/distribution/uniformFloat64'
import { xoroshiro128plus } from 'pure-rand/generator/xoroshiro128plus'

/** How the offered rate (events/s) moves over a run. */
export type RatePattern =
  | { kind: 'steady'; rate: number }
  /** rate x (1 + amplitude x sin(2 pi t / period)); amplitude in [0, 1]. */
  | { kind: 'periodic'; rate: number; amplitude: number; periodS: number }
  /** A square wave: burstS at burstRate, then quietS at rate. */
  | { kind: 'bursty'; rate: number; burstRate: number; burstS: number; quietS: number }
  /** A trading day compressed into dayS: `rate` overnight, ramping to peakRate for market hours (09:30-16:00). */
  | { kind: 'diurnal'; rate: number; peakRate: number; dayS: number }
  /** A new random rate in [minRate, maxRate] every changeEveryS. */
  | { kind: 'chaos'; minRate: number; maxRate: number; changeEveryS: number }

/** On top of any pattern: each everyS window is, with `probability`, a spike at `multiplier` x the rate. */
export interface Spikes {
  probability: number
  multiplier: number
  everyS: number
}

export interface LoadShape {
  pattern: RatePattern
  spikes?: Spikes
}

const positive = { type: 'number', exclusiveMinimum: 0 } as const
export const loadShapeSchema: JSONSchemaType<LoadShape> = {
  type: 'object',
  additionalProperties: false,
  required: ['pattern'],
  properties: {
    pattern: {
      type: 'object',
      required: ['kind'],
      // Errors then speak of the named kind only, not of every alternative.
      discriminator: { propertyName: 'kind' },
      oneOf: [
        {
          type: 'object',
          additionalProperties: false,
          required: ['kind', 'rate'],
          properties: { kind: { const: 'steady' }, rate: positive },
        },
        {
          type: 'object',
          additionalProperties: false,
          required: ['kind', 'rate', 'amplitude', 'periodS'],
          properties: {
            kind: { const: 'periodic' },
            rate: positive,
            amplitude: { type: 'number', minimum: 0, maximum: 1 },
            periodS: positive,
          },
        },
        {
          type: 'object',
          additionalProperties: false,
          required: ['kind', 'rate', 'burstRate', 'burstS', 'quietS'],
          properties: { kind: { const: 'bursty' }, rate: positive, burstRate: positive, burstS: positive, quietS: positive },
        },
        {
          type: 'object',
          additionalProperties: false,
          required: ['kind', 'rate', 'peakRate', 'dayS'],
          properties: { kind: { const: 'diurnal' }, rate: positive, peakRate: positive, dayS: positive },
        },
        {
          type: 'object',
          additionalProperties: false,
          required: ['kind', 'minRate', 'maxRate', 'changeEveryS'],
          properties: { kind: { const: 'chaos' }, minRate: positive, maxRate: positive, changeEveryS: positive },
        },
      ],
    } as unknown as JSONSchemaType<RatePattern>,
    spikes: {
      type: 'object',
      nullable: true,
      additionalProperties: false,
      required: ['probability', 'multiplier', 'everyS'],
      properties: { probability: { type: 'number', minimum: 0, maximum: 1 }, multiplier: positive, everyS: positive },
    },
  },
}

const checkShape = new Ajv({ allErrors: true, discriminator: true }).compile(loadShapeSchema)

/** Checks a load shape from flags, environment or a file; the problems name their JSON paths. */
export function validateLoadShape(data: unknown): { ok: true; shape: LoadShape } | { ok: false; problems: string[] } {
  if (checkShape(data)) return { ok: true, shape: data }
  return { ok: false, problems: (checkShape.errors ?? []).map((e) => `${e.instancePath || '/'} ${e.message}`) }
}

const MARKET_OPEN = 9.5 / 24
const MARKET_CLOSE = 16 / 24
const RAMP = 0.5 / 24 // half an hour either side of the session

/** The offered rate at t seconds into the run. Deterministic for a seed: chaos and spikes draw per window. */
export function rateFunction({ pattern: p, spikes }: LoadShape, seed: number): (tS: number) => number {
  const base = baseRate(p, seed)
  if (!spikes) return base
  const spikeAt = windowDraw(seed ^ 0x5bd1e995, (u) => (u < spikes.probability ? spikes.multiplier : 1))
  return (tS) => base(tS) * spikeAt(Math.floor(tS / spikes.everyS))
}

function baseRate(p: RatePattern, seed: number): (tS: number) => number {
  switch (p.kind) {
    case 'steady':
      return () => p.rate
    case 'periodic':
      return (t) => p.rate * (1 + p.amplitude * Math.sin((2 * Math.PI * t) / p.periodS))
    case 'bursty':
      return (t) => (t % (p.burstS + p.quietS) < p.burstS ? p.burstRate : p.rate)
    case 'diurnal':
      return (t) => p.rate + (p.peakRate - p.rate) * marketActivity((t % p.dayS) / p.dayS)
    case 'chaos': {
      const draw = windowDraw(seed, (u) => p.minRate + u * (p.maxRate - p.minRate))
      return (t) => draw(Math.floor(t / p.changeEveryS))
    }
  }
}

/** 0 overnight, 1 during the session, linear ramps around open and close; `day` in [0, 1). */
function marketActivity(day: number): number {
  if (day < MARKET_OPEN - RAMP || day > MARKET_CLOSE + RAMP) return 0
  if (day < MARKET_OPEN) return (day - (MARKET_OPEN - RAMP)) / RAMP
  if (day > MARKET_CLOSE) return (MARKET_CLOSE + RAMP - day) / RAMP
  return 1
}

/** A value per window index, drawn in order from a seeded generator and remembered. */
function windowDraw(seed: number, map: (u: number) => number): (index: number) => number {
  const rng = xoroshiro128plus(seed)
  const values: number[] = []
  return (index) => {
    while (values.length <= index) values.push(map(uniformFloat64(rng)))
    return values[index] as number
  }
}
