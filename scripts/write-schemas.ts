// pnpm schemas: rewrites reporters/schemas/*.json from the result model (model/results.ts).
import { writeFile } from 'node:fs/promises'
import { jsonSchemaFiles } from '../model/json-schemas.ts'

for (const { file, text } of jsonSchemaFiles()) await writeFile(file, text)
