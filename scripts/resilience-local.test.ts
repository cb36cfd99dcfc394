import { expect, test } from 'vitest'
import { benchResults } from './bench-results.ts'

// `pnpm bench resilience --profile local` end to end: the processor SIGKILLed under 20,000 events/s and
// started again on its port, PostgreSQL stopped for 2 s under 5,000/s, and a table lock held 4 s under a
// queue bound of 500 events. The suite fails on any acknowledged event not stored, any batch given up, a
// non-503 answer while the database is down, or no backpressure under the lock; here its figures are read.
test('pnpm bench resilience --profile local rides out a killed processor, a restarted and a locked PostgreSQL', {
  timeout: 300_000,
}, async () => {
  const results = await benchResults(['resilience', '--profile', 'local'])
  const suite = results.suites.find((s) => s.suite === 'resilience')
  expect(suite?.status, suite?.reason).toBe('passed')
  const figure = (test: string, name: string) => suite?.metrics.find((m) => m.test.startsWith(test) && m.name === name)?.value
  expect(figure('the processor SIGKILLed', 'serving again after a SIGKILL')).toBeLessThan(10_000)
  expect(figure('the processor SIGKILLed', 'requests retried')).toBeGreaterThan(0)
  expect(figure('PostgreSQL restarted', 'requests refused while down')).toBeGreaterThan(0)
  expect(figure('PostgreSQL held up by a lock', 'requests refused at the queue bound')).toBeGreaterThan(0)
  expect(figure('PostgreSQL held up by a lock', 'seconds to 90% of the rate after the lock')).toBeLessThan(5)
})
