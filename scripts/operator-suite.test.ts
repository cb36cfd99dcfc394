import { expect, test } from 'vitest'
import { goMissing } from '../harness/kwok/control-plane.ts'
import { benchResults } from './bench-results.ts'

// `pnpm bench operator --profile kwok` end to end, at N = 10 only (the full 10 / 100 / 1000 takes about
// 5 minutes): the operator as a process against a kwok control plane, its figures in the results.
const why = goMissing()

test.skipIf(why !== '')(
  `pnpm bench operator --profile kwok records the operator's figures${why ? ` (skipped: ${why})` : ''}`,
  { timeout: 45 * 60_000 },
  async () => {
    const results = await benchResults(['operator', '--profile', 'kwok'], { BENCH_OPERATOR_SCALES: '10' })
    const operator = results.suites.find((s) => s.suite === 'operator')
    expect(operator?.status).toBe('passed')
    // The API server's own answer, carried from the cluster fixture into the fingerprint.
    expect(results.environment.kubernetes).toMatch(/^v1\.34\.\d+$/)
    const figure = (name: string) => operator?.metrics.find((m) => m.name === name)?.value
    // Every benchmark reached Completed (or the suite would have failed), and each cost a handful of requests.
    expect(figure('N=10 to Completed p50 ms')).toBeGreaterThan(0)
    expect(figure('N=10 reconcile p99 ms')).toBeGreaterThan(0)
    expect(figure('N=10 API requests per benchmark')).toBeGreaterThanOrEqual(5)
    expect(figure('N=10 API requests per benchmark')).toBeLessThan(20)
  },
)
