import { Ajv, type ErrorObject } from 'ajv'
import { Baseline, RunResults } from '../model/results.ts'
import { RunDescription } from '../model/run-description.ts'

// The model's own schemas (reporters/schemas/*.json are generated from the same objects).
const ajv = new Ajv({ allErrors: true, strict: true })
const checkBaseline = ajv.compile<Baseline>(Baseline)
const checkResults = ajv.compile<RunResults>(RunResults)
const checkRunDescription = ajv.compile<RunDescription>(RunDescription)

/** A file that does not match its JSON Schema; the message names the file and each failing JSON path. */
export class SchemaError extends Error {
  readonly file: string
  constructor(file: string, problems: string[]) {
    super(`${file} is not valid:\n${problems.map((p) => `  - ${p}`).join('\n')}`)
    this.name = 'SchemaError'
    this.file = file
  }
}

export function assertBaseline(data: unknown, file: string): asserts data is Baseline {
  if (!checkBaseline(data)) throw new SchemaError(file, describe(checkBaseline.errors))
}

export function assertResults(data: unknown, file: string): asserts data is RunResults {
  if (!checkResults(data)) throw new SchemaError(file, describe(checkResults.errors))
}

export function assertRunDescription(data: unknown, file: string): asserts data is RunDescription {
  if (!checkRunDescription(data)) throw new SchemaError(file, describe(checkRunDescription.errors))
}

function describe(errors: ErrorObject[] | null | undefined): string[] {
  return (errors ?? []).map((e) => {
    const at = e.instancePath || '/'
    const extra =
      e.keyword === 'additionalProperties'
        ? ` ('${e.params.additionalProperty}')`
        : e.keyword === 'enum'
          ? ` (${e.params.allowedValues.join(', ')})`
          : ''
    return `at ${at}: ${e.message}${extra}`
  })
}
