import type { JSONSchemaType } from 'ajv'

/** One trade tick. `source` + `seq` identify it; `ts` is when the generator meant to emit it (epoch ms). */
export interface MarketEvent {
  kind: 'market'
  source: string
  seq: number
  ts: number
  symbol: string
  price: number
  volume: number
}

export interface IngestBatch {
  events: MarketEvent[]
}

/** Larger batches are refused with 400; split them. Keeps one request's commit short. */
export const MAX_EVENTS_PER_BATCH = 10_000

export const marketEventSchema: JSONSchemaType<MarketEvent> = {
  type: 'object',
  additionalProperties: false,
  required: ['kind', 'source', 'seq', 'ts', 'symbol', 'price', 'volume'],
  properties: {
    kind: { type: 'string', const: 'market' },
    source: { type: 'string', minLength: 1, maxLength: 128 },
    seq: { type: 'integer', minimum: 0, maximum: Number.MAX_SAFE_INTEGER },
    ts: { type: 'number', exclusiveMinimum: 0 },
    symbol: { type: 'string', pattern: '^[A-Z0-9.]{1,12}$' },
    price: { type: 'number', exclusiveMinimum: 0 },
    volume: { type: 'integer', minimum: 0, maximum: 2_147_483_647 },
  },
}

export const ingestBatchSchema: JSONSchemaType<IngestBatch> = {
  type: 'object',
  additionalProperties: false,
  required: ['events'],
  properties: {
    events: { type: 'array', minItems: 1, maxItems: MAX_EVENTS_PER_BATCH, items: marketEventSchema },
  },
}
