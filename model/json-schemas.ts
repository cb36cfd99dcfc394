// The JSON Schema files generated from the result model, for editors and tools that read reporters/schemas/.
import { fileURLToPath } from 'node:url'
import { Baseline, RunResults } from './results.ts'

const DRAFT = 'http://json-schema.org/draft-07/schema#'

/** Each generated file: where it lives and what it must contain. */
export function jsonSchemaFiles(): { file: string; text: string }[] {
  return [
    { name: 'baseline.schema.json', schema: Baseline },
    { name: 'results.schema.json', schema: RunResults },
  ].map(({ name, schema }) => ({
    file: fileURLToPath(new URL(`../reporters/schemas/${name}`, import.meta.url)),
    text: `${JSON.stringify({ $schema: DRAFT, $id: name, ...schema }, null, 2)}\n`,
  }))
}
