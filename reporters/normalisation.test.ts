import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import { mean, median } from 'simple-statistics'
import { describe, expect, test } from 'vitest'

// Does dividing by the calibration workload make figures of the same code agree better across processes?
// Real runs measured here (see the fixture's description), not synthetic ones.
interface RecordedRun {
  calibration: number
  tasks: Record<string, { raw: number; perCalibration: number }>
}
const { runs } = JSON.parse(readFileSync(join(import.meta.dirname, 'fixtures', 'processor-runs-2026-11-23.json'), 'utf8')) as {
  runs: RecordedRun[]
}
const tasks = Object.keys(runs[0]?.tasks ?? {})

/** Mean absolute relative error of each run against the median of all runs: 0 would be perfect agreement. */
const error = (values: number[]) => {
  const center = median(values)
  return mean(values.map((v) => Math.abs(v / center - 1)))
}

test('the recording holds enough runs, including slow spells', () => {
  expect(runs.length).toBeGreaterThanOrEqual(100)
  const typical = median(runs.map((r) => r.calibration))
  expect(runs.filter((r) => r.calibration < 0.85 * typical).length).toBeGreaterThanOrEqual(2)
})

describe.each(tasks)('%s', (task) => {
  test('agrees better between processes per calibration workload than raw', () => {
    const raw = error(runs.map((r) => r.tasks[task]?.raw as number))
    const normalised = error(runs.map((r) => r.tasks[task]?.perCalibration as number))
    console.log(`${task}: mean error raw ${(raw * 100).toFixed(2)}%, per calibration ${(normalised * 100).toFixed(2)}%`)
    expect(normalised).toBeLessThan(raw)
  })
})
