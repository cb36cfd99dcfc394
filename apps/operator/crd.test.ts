import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import { Ajv } from 'ajv'
import { expect, test } from 'vitest'
import { parse } from 'yaml'

// The CRD's OpenAPI schema, checked offline with ajv: what the API server will refuse. Its CEL rules
// (x-kubernetes-validations: min <= max) need a real API server and are left to the kwok integration tests.
const crd = parse(readFileSync(join(import.meta.dirname, 'manifests', 'crd.yaml'), 'utf8'))
const openApi = crd.spec.versions[0].schema.openAPIV3Schema

/** OpenAPI 3.0 (exclusiveMinimum: true beside minimum, x-kubernetes-* keywords) to the JSON Schema ajv reads. */
function toJsonSchema(node: unknown): unknown {
  if (Array.isArray(node)) return node.map(toJsonSchema)
  if (typeof node !== 'object' || node === null) return node
  const out: Record<string, unknown> = {}
  for (const [key, value] of Object.entries(node)) {
    if (key.startsWith('x-kubernetes-') || key === 'description') continue
    out[key] =
      key === 'properties' ? Object.fromEntries(Object.entries(value as object).map(([k, v]) => [k, toJsonSchema(v)])) : toJsonSchema(value)
  }
  if (out.exclusiveMinimum === true) {
    out.exclusiveMinimum = out.minimum
    delete out.minimum
  }
  return out
}

const validate = new Ajv({ allErrors: true, strict: false }).compile(toJsonSchema(openApi) as object)
const valid = {
  spec: {
    sources: [{ kind: 'log', rate: 10_000, pattern: 'bursty', sizeBytes: { distribution: 'lognormal', min: 100, max: 10_240 } }],
    processing: { strategy: 'optimized', batchSize: 2000, replicas: { min: 1, max: 4 }, scalingPolicy: 'latency' },
    targets: { minThroughputPerSecond: 9000, maxP99Ms: 50, maxMemoryMiB: 256, maxCpu: 1.5 },
    durationSeconds: 60,
  },
}
const errors = (cr: unknown) => (validate(cr) ? [] : (validate.errors ?? []).map((e) => `${e.instancePath} ${e.message}`))

test('a complete spec is accepted', () => {
  expect(errors(valid)).toEqual([])
})

test.each([
  ['a zero rate', { sources: [{ kind: 'market', rate: 0 }] }, '/spec/sources/0/rate must be >= 1'],
  ['an unknown event kind', { sources: [{ kind: 'metrics', rate: 5 }] }, '/spec/sources/0/kind must be equal to one of the allowed values'],
  ['an unknown strategy', { processing: { strategy: 'fast' } }, '/spec/processing/strategy must be equal to one of the allowed values'],
  ['a zero p99 target', { targets: { maxP99Ms: 0 } }, '/spec/targets/maxP99Ms must be > 0'],
  ['no sources', { sources: [] }, '/spec/sources must NOT have fewer than 1 items'],
])('%s is refused, naming the field', (_, change, message) => {
  expect(errors({ spec: { ...valid.spec, ...change } })).toContain(message)
})

test('a spec without a duration is refused', () => {
  const { durationSeconds: _, ...rest } = valid.spec
  expect(errors({ spec: rest })).toContain("/spec must have required property 'durationSeconds'")
})
