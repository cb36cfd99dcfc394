import { expect, test } from 'vitest'
import type { CpuProfileRecord } from '../model/metric.ts'
import { renderMarkdown } from './markdown.ts'
import { grownFunctions, grownLines } from './profile-diff.ts'
import { syntheticResults, syntheticSuite } from './synthetic-results.ts'

// Pure logic on synthetic profile summaries (never measurements): which functions grew from base to head.
const record = (app: string, top: [string, number][]): CpuProfileRecord => ({
  test: 'steady 10000 events/s',
  app,
  file: `${app}.cpuprofile`,
  durationMs: 3000,
  samples: 3000,
  busyShare: 0.5,
  top: top.map(([name, selfShare]) => ({ function: name, location: `apps/${app}/x.ts:1`, selfShare })),
  flame: { name: '(root)', value: 1500, children: [] },
})

test('the functions whose share grew most, per app and scenario; one new in head counts from 0', () => {
  const base = [
    record('processor', [
      ['writeBuffer', 0.2],
      ['validateBatch', 0.05],
      ['parse', 0.1],
    ]),
    record('generator', [['post', 0.1]]),
  ]
  const head = [
    record('processor', [
      ['spendPlantedCpu', 0.3],
      ['writeBuffer', 0.14],
      ['validateBatch', 0.06],
      ['parse', 0.12],
    ]),
    record('generator', [['post', 0.09]]),
  ]
  const grown = grownFunctions(base, head)
  expect(grown).toHaveLength(1) // nothing grew in the generator
  expect(grown[0]?.functions.map((f) => f.function)).toEqual(['spendPlantedCpu', 'parse', 'validateBatch'])
  expect(grownLines(grown)[0]).toBe(
    'processor in steady 10000 events/s: spendPlantedCpu (apps/processor/x.ts:1) 0.0% → 30.0%; parse (apps/processor/x.ts:1) 10.0% → 12.0%; validateBatch (apps/processor/x.ts:1) 5.0% → 6.0%',
  )
  // A profile with no counterpart on the other side is not compared.
  expect(grownFunctions([], head)).toEqual([])
  const markdown = renderMarkdown(syntheticResults({ suites: [syntheticSuite([], { grownFunctions: grown })] }))
  expect(markdown).toContain('Where head spends more CPU than base')
  expect(markdown).toContain('- processor in steady 10000 events/s: spendPlantedCpu')
})
