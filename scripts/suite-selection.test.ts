import { join } from 'node:path'
import { expect, test } from 'vitest'
import { suiteFilters, suiteNames } from './suite-selection.ts'

const SUITES = join(import.meta.dirname, '..', 'suites')

test('a run without filters takes every suite but the opt-in ones (soak, resilience); naming one runs it', () => {
  const all = suiteNames(SUITES, [])
  expect(all).toEqual(expect.arrayContaining(['soak', 'resilience']))
  const defaults = suiteFilters(SUITES, [])
  expect(defaults).not.toContain('suites/soak.bench.ts')
  expect(defaults).not.toContain('suites/resilience.bench.ts')
  expect(defaults).toHaveLength(all.length - 2)
  expect(suiteNames(SUITES, defaults)).toEqual(all.filter((name) => name !== 'soak' && name !== 'resilience'))
  expect(suiteNames(SUITES, suiteFilters(SUITES, ['soak']))).toEqual(['soak'])
  expect(suiteNames(SUITES, suiteFilters(SUITES, ['resilience']))).toEqual(['resilience'])
})
