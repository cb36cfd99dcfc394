import { Ajv } from 'ajv'
import { type IngestBatch, ingestBatchSchema } from './market-event.ts'

const ajv = new Ajv({ allErrors: false, strict: true })
const validateBatchSchema = ajv.compile(ingestBatchSchema)

export type BatchValidation = { ok: true; batch: IngestBatch } | { ok: false; error: { message: string; path: string; tooLarge: boolean } }

/**
 * Checks a whole ingest body. A batch is all-or-nothing: one bad event rejects the request and nothing of
 * it is written, so a client can fix and resend the same batch, and (source, seq) keeps the resend idempotent.
 * The error names the first offending field as a JSON pointer, e.g. `/events/3/price`.
 */
export function validateBatch(body: unknown): BatchValidation {
  if (validateBatchSchema(body)) return { ok: true, batch: body }
  const first = validateBatchSchema.errors?.[0]
  const path = first?.instancePath || '/'
  const detail = first?.keyword === 'additionalProperties' ? `unknown field '${first.params.additionalProperty}'` : first?.message
  return {
    ok: false,
    error: { path, message: `${path}: ${detail ?? 'invalid'}`, tooLarge: path === '/events' && first?.keyword === 'maxItems' },
  }
}
