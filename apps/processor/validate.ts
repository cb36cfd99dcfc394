import { _, Ajv } from 'ajv'
import { EVENT_KINDS, type IngestBatch, ingestBatchSchema, STORABLE_TEXT } from './events.ts'

// The discriminator picks the one schema for each event's kind, so errors speak of that schema's fields.
const ajv = new Ajv({ allErrors: false, strict: true, discriminator: true })
// Text a PostgreSQL `text` column stores as sent (events.ts STORABLE_TEXT), checked inline in the compiled
// validator with two native string methods.
ajv.addKeyword({
  keyword: STORABLE_TEXT,
  type: 'string',
  schemaType: 'boolean',
  code: (cxt) => cxt.fail(_`${cxt.data}.includes("\u0000") || !${cxt.data}.isWellFormed()`),
  error: { message: 'must be text PostgreSQL can store: no NUL character (\\u0000) and no unpaired surrogate (\\ud800-\\udfff)' },
})
const validateBatchSchema = ajv.compile<IngestBatch>(ingestBatchSchema)

export type BatchValidation = { ok: true; batch: IngestBatch } | { ok: false; error: { message: string; path: string; tooLarge: boolean } }

/**
 * Checks a whole ingest body. A batch is all-or-nothing: one bad event rejects the request and nothing of
 * it is written, so a client can fix and resend the same batch, and (source, seq) keeps the resend idempotent.
 * The error names the first offending field as a JSON pointer, e.g. `/events/3/price`.
 */
export function validateBatch(body: unknown): BatchValidation {
  if (validateBatchSchema(body)) return { ok: true, batch: body }
  const first = validateBatchSchema.errors?.[0]
  let path = first?.instancePath || '/'
  let detail = first?.message
  if (first?.keyword === 'additionalProperties') detail = `unknown field '${first.params.additionalProperty}'`
  if (first?.keyword === 'discriminator') {
    path = `${path}/kind`
    detail =
      first.params.error === 'mapping'
        ? `unknown event kind ${JSON.stringify(first.params.tagValue)}; use one of ${EVENT_KINDS.join(', ')}`
        : `must be a string, one of ${EVENT_KINDS.join(', ')}`
  }
  return {
    ok: false,
    error: { path, message: `${path}: ${detail ?? 'invalid'}`, tooLarge: path === '/events' && first?.keyword === 'maxItems' },
  }
}
