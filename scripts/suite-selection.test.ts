import { join } from 'node:path'
import { expect, test } from 'vitest'
import { OPT_IN_SUITES, suiteFilters, suiteNames } from './suite-selection.ts'

const SUITES = join(import.meta.dirname, '..', 'suites')

test('a run without filters takes every suite but the opt-in ones (soak, resilience, implementations); naming one runs it', () => {
  const all = suiteNames(SUITES, [])
  expect(OPT_IN_SUITES).toEqual(['soak', 'resilience', 'implementations'])
  expect(all).toEqual(expect.arrayContaining(OPT_IN_SUITES))
  const defaults = suiteFilters(SUITES, [])
  for (const optIn of OPT_IN_SUITES) {
    expect(defaults).not.toContain(`suites/${optIn}.bench.ts`)
    expect(suiteNames(SUITES, suiteFilters(SUITES, [optIn]))).toEqual([optIn])
  }
  expect(defaults).toHaveLength(all.length - OPT_IN_SUITES.length)
  expect(suiteNames(SUITES, defaults)).toEqual(all.filter((name) => !OPT_IN_SUITES.includes(name)))
})
