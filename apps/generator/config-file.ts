import { readFileSync } from 'node:fs'
import { Ajv } from 'ajv'

/**
 * A generator configuration file: the same names as the command-line flags, e.g.
 * `{ "target": "http://127.0.0.1:8080", "shape": { "pattern": { "kind": "steady", "rate": 5000 } },
 *    "duration-s": 30, "late-fraction": 0.01 }`. Flags given on the command line win over the file.
 */
const schema = {
  type: 'object',
  additionalProperties: false,
  properties: {
    target: { type: 'string', minLength: 1 },
    rate: { type: 'number', exclusiveMinimum: 0 },
    shape: { type: 'object' }, // checked in full by validateLoadShape
    'duration-s': { type: 'number', exclusiveMinimum: 0 },
    'batch-size': { type: 'integer', minimum: 1 },
    'linger-ms': { type: 'number', exclusiveMinimum: 0 },
    source: { type: 'string', minLength: 1, maxLength: 128 },
    seed: { type: 'integer', minimum: 1 },
    'max-in-flight': { type: 'integer', minimum: 1 },
    'max-attempts': { type: 'integer', minimum: 1 },
    'late-fraction': { type: 'number', minimum: 0, maximum: 1 },
    'late-max-ms': { type: 'number', exclusiveMinimum: 0 },
    mix: { type: 'string', pattern: '^(market|iot|log)=[0-9.]+(,(market|iot|log)=[0-9.]+)*$' },
    'v2-fraction': { type: 'number', minimum: 0, maximum: 1 },
    'size-distribution': { enum: ['fixed', 'uniform', 'normal', 'lognormal'] },
    'size-min': { type: 'integer', minimum: 1 },
    'size-max': { type: 'integer', minimum: 1, maximum: 16_384 },
  },
} as const

const validate = new Ajv({ allErrors: true, strict: true }).compile(schema)

/** The file's settings as flag strings, or an Error that names the file and every wrong field. */
export function readConfigFile(path: string): Record<string, string> {
  let data: unknown
  try {
    data = JSON.parse(readFileSync(path, 'utf8'))
  } catch (error) {
    throw new Error(`--config ${path} is not readable JSON: ${(error as Error).message}`)
  }
  if (!validate(data)) {
    const problems = (validate.errors ?? []).map((e) =>
      e.keyword === 'additionalProperties' ? `unknown setting '${e.params.additionalProperty}'` : `${e.instancePath || '/'} ${e.message}`,
    )
    throw new Error(`--config ${path} is not a valid generator configuration: ${problems.join('; ')}`)
  }
  return Object.fromEntries(
    Object.entries(data as object).map(([key, value]) => [key, typeof value === 'object' ? JSON.stringify(value) : String(value)]),
  )
}
