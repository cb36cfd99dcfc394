import { expect } from 'vitest'
import type { LoadShape } from '../apps/generator/rate-pattern.ts'
import { test } from '../harness/fixtures.ts'
import { describeRun, pipelineCharts, pipelineMetrics, runPipeline } from '../harness/pipeline-run.ts'

// Load that moves: how the optimized pipeline absorbs bursts above its steady diet.
const BURSTY: LoadShape = { pattern: { kind: 'bursty', rate: 10_000, burstRate: 60_000, burstS: 1, quietS: 2 } }

test('bursts of 60000 events/s every 3 s over 10000 events/s, 9 s, optimized', async ({ processor, postgres, record, chart }) => {
  const run = await runPipeline(processor, postgres, { ratePerSecond: BURSTY, durationSeconds: 9, source: 'bursty', batchSize: 200 })
  expect(run.committed).toBe(run.load.acked)
  expect(run.load.acked + run.load.failed).toBe(run.load.generated)
  console.log(describeRun('bursty', run))
  for (const metric of pipelineMetrics(run, { saturating: false })) record(metric)
  for (const series of pipelineCharts('bursty', run)) chart(series)
})
