import { readFile } from 'node:fs/promises'
import { expect, test } from 'vitest'
import { jsonSchemaFiles } from './json-schemas.ts'

test('reporters/schemas/*.json are what the result model generates (pnpm schemas rewrites them)', async () => {
  for (const { file, text } of jsonSchemaFiles()) expect(await readFile(file, 'utf8'), file).toBe(text)
})
