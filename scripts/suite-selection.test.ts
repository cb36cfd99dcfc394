import { join } from 'node:path'
import { expect, test } from 'vitest'
import { suiteFilters, suiteNames } from './suite-selection.ts'

const SUITES = join(import.meta.dirname, '..', 'suites')

test('a run without filters takes every suite but the soak; naming the soak runs it', () => {
  const all = suiteNames(SUITES, [])
  expect(all).toContain('soak')
  const defaults = suiteFilters(SUITES, [])
  expect(defaults).not.toContain('suites/soak.bench.ts')
  expect(defaults).toHaveLength(all.length - 1)
  expect(suiteNames(SUITES, defaults)).toEqual(all.filter((name) => name !== 'soak'))
  expect(suiteNames(SUITES, suiteFilters(SUITES, ['soak']))).toEqual(['soak'])
})
