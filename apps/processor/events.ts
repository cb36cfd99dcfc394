/**
 * What the processor ingests. Every event has `kind`, `source` + `seq` (its identity, the idempotency key)
 * and `ts` (when the generator meant to emit it, epoch ms). Market events exist in two schema versions:
 * v2 adds the exchange; v1 events (without it) are still accepted — schema evolution. No version field:
 * one more optional property would take ajv past 8 known properties, where its check of unknown fields
 * switches to a slower lookup and validation of a market batch takes twice as long (20 -> 40 µs, measured).
 */
export interface MarketEvent {
  kind: 'market'
  source: string
  seq: number
  ts: number
  symbol: string
  price: number
  volume: number
  exchange?: string
}

/** A sensor reading: temperature (°C), relative humidity (%), a variable number of extra readings, a payload. */
export interface IotEvent {
  kind: 'iot'
  source: string
  seq: number
  ts: number
  device: string
  temperature: number
  humidity: number
  readings: number[]
  /** Opaque binary payload, base64. */
  payload?: string
}

export const LOG_LEVELS = ['debug', 'info', 'warn', 'error'] as const
export interface LogEvent {
  kind: 'log'
  source: string
  seq: number
  ts: number
  level: (typeof LOG_LEVELS)[number]
  service: string
  message: string
}

export type IngestEvent = MarketEvent | IotEvent | LogEvent
export const EVENT_KINDS = ['market', 'iot', 'log'] as const

export interface IngestBatch {
  events: IngestEvent[]
}

/** Larger batches are refused with 413; split them. Keeps one request's commit short. */
export const MAX_EVENTS_PER_BATCH = 10_000
/** One event's free text or payload stays below this: an oversize event is refused, naming the field. */
export const MAX_TEXT_LENGTH = 16_384
export const MAX_READINGS = 256

/**
 * The keyword of text PostgreSQL can store: no NUL (a `text` column refuses it) and no unpaired UTF-16
 * surrogate (JSON's `\ud800` escapes make them; UTF-8 cannot encode one, so it would be stored as U+FFFD,
 * not as sent). validate.ts defines it as two native string checks, about 10 ns a string: a tenth of a
 * 500-event batch's validation for each text field checked, so a field whose own pattern already admits
 * only safe characters is not checked again (`textMatching`; the contract test holds every such pattern to it).
 */
export const STORABLE_TEXT = 'storableText'
/**
 * The last event time the tables hold as sent: timestamptz reaches 294276 AD, but COPY reads the ISO 8601
 * text the encoder writes, whose year has four digits (copy-encoding.ts timestampText).
 */
export const MAX_TIMESTAMP_MS = Date.UTC(10_000, 0, 1) - 1

/**
 * The ingest contract's column types: each PostgreSQL type the event tables use, and the JSON Schema of
 * the values it stores. Every event field below starts from its column's schema, so what validation
 * passes the table takes; `TABLE_COLUMNS` names each table's columns with these types, and a test checks
 * them against the migrated database (event-contract.test.ts). A field may narrow its type further.
 */
export const COLUMN_TYPES = {
  text: { sql: 'text', schema: { type: 'string', [STORABLE_TEXT]: true } },
  // ajv's `number` refuses what JSON.parse makes of 1e400 (Infinity): stored values are finite.
  float8: { sql: 'double precision', schema: { type: 'number' } },
  integer: { sql: 'integer', schema: { type: 'integer', minimum: -(2 ** 31), maximum: 2 ** 31 - 1 } },
  // JavaScript numbers are exact to 2^53: beyond it two sequence numbers could be stored as one.
  bigint: { sql: 'bigint', schema: { type: 'integer', minimum: -Number.MAX_SAFE_INTEGER, maximum: Number.MAX_SAFE_INTEGER } },
  // Epoch milliseconds: after 1970 (a contract choice) up to MAX_TIMESTAMP_MS.
  timestamptz: { sql: 'timestamp with time zone', schema: { type: 'number', exclusiveMinimum: 0, maximum: MAX_TIMESTAMP_MS } },
  float8Array: { sql: 'double precision[]', schema: { type: 'array', items: { type: 'number' } } },
  // Sent as base64 text, stored as its bytes.
  bytea: { sql: 'bytea', schema: { type: 'string', pattern: '^[A-Za-z0-9+/]*={0,2}$' } },
} as const
export type ColumnType = keyof typeof COLUMN_TYPES

/** Each kind's table and its columns in COPY order, with the contract's type of each. */
export const TABLE_COLUMNS = {
  market: {
    table: 'market_events',
    columns: {
      source: 'text',
      seq: 'bigint',
      generated_at: 'timestamptz',
      symbol: 'text',
      price: 'float8',
      volume: 'integer',
      exchange: 'text',
    },
  },
  iot: {
    table: 'iot_events',
    columns: {
      source: 'text',
      seq: 'bigint',
      generated_at: 'timestamptz',
      device: 'text',
      temperature: 'float8',
      humidity: 'float8',
      readings: 'float8Array',
      payload: 'bytea',
    },
  },
  log: {
    table: 'log_events',
    columns: { source: 'text', seq: 'bigint', generated_at: 'timestamptz', level: 'text', service: 'text', message: 'text' },
  },
} as const satisfies Record<(typeof EVENT_KINDS)[number], { table: string; columns: Record<string, ColumnType> }>

const text = COLUMN_TYPES.text.schema
/** A text field held to a pattern of its own, over characters that exclude what STORABLE_TEXT refuses. */
const textMatching = (pattern: string) => ({ type: 'string', pattern }) as const
const float8 = COLUMN_TYPES.float8.schema
const integer = COLUMN_TYPES.integer.schema
const bigint = COLUMN_TYPES.bigint.schema
const timestamptz = COLUMN_TYPES.timestamptz.schema
const float8Array = COLUMN_TYPES.float8Array.schema
const bytea = COLUMN_TYPES.bytea.schema

const identity = {
  source: { ...text, minLength: 1, maxLength: 128 },
  seq: { ...bigint, minimum: 0 },
  ts: timestamptz,
} as const

const marketEventSchema = {
  type: 'object',
  additionalProperties: false,
  required: ['kind', 'source', 'seq', 'ts', 'symbol', 'price', 'volume'],
  properties: {
    kind: { const: 'market' },
    ...identity,
    symbol: textMatching('^[A-Z0-9.]{1,12}$'),
    price: { ...float8, exclusiveMinimum: 0 },
    volume: { ...integer, minimum: 0 },
    exchange: textMatching('^[A-Z]{2,8}$'),
  },
} as const

const iotEventSchema = {
  type: 'object',
  additionalProperties: false,
  required: ['kind', 'source', 'seq', 'ts', 'device', 'temperature', 'humidity', 'readings'],
  properties: {
    kind: { const: 'iot' },
    ...identity,
    device: textMatching('^[a-z0-9-]{1,64}$'),
    temperature: { ...float8, minimum: -100, maximum: 200 },
    humidity: { ...float8, minimum: 0, maximum: 100 },
    readings: { ...float8Array, maxItems: MAX_READINGS },
    payload: { ...bytea, maxLength: MAX_TEXT_LENGTH },
  },
} as const

const logEventSchema = {
  type: 'object',
  additionalProperties: false,
  required: ['kind', 'source', 'seq', 'ts', 'level', 'service', 'message'],
  properties: {
    kind: { const: 'log' },
    ...identity,
    level: { enum: LOG_LEVELS },
    service: textMatching('^[a-z0-9-]{1,64}$'),
    message: { ...text, maxLength: MAX_TEXT_LENGTH },
  },
} as const

/** Every event schema, by kind: what the contract test walks. */
export const EVENT_SCHEMAS = { market: marketEventSchema, iot: iotEventSchema, log: logEventSchema } as const

export const ingestBatchSchema = {
  type: 'object',
  additionalProperties: false,
  required: ['events'],
  properties: {
    events: {
      type: 'array',
      minItems: 1,
      maxItems: MAX_EVENTS_PER_BATCH,
      items: {
        type: 'object',
        discriminator: { propertyName: 'kind' },
        oneOf: [marketEventSchema, iotEventSchema, logEventSchema],
      },
    },
  },
} as const
