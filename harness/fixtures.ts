import { test as base } from 'vitest'
import type { Strategy } from '../apps/processor/writers.ts'
import { startApp } from './apps.ts'
import type { StartedApp } from './environment.ts'
import { attachChart, attachMetric, type Chart, type Metric } from './metric.ts'
import { resolveProfile } from './profile.ts'
import { startPostgres } from './providers.ts'

/**
 * The `test` suites use. Fixtures start lazily, only when a test names them, and stop in reverse order
 * whether the test passed or failed:
 *   profile    where things run (worker scope: decided once)
 *   postgres   a fresh database for this suite file
 *   processor  the stream processor (optimized strategy), migrated and healthy, writing to `postgres`
 *   api        the query/report API on `postgres`, live figures from `processor`
 *   startProcessor({ strategy })  another processor on the same database, stopped with the file
 *   record     record(metric) stores a figure for the reporter to judge against the baseline
 *   chart      chart(series) adds a latency distribution or throughput timeline to the HTML report
 */
export const test = base
  .extend('profile', { scope: 'worker' }, async () => resolveProfile())
  .extend('postgres', { scope: 'file' }, async ({ profile }, { onCleanup }) => {
    const postgres = await startPostgres(profile)
    onCleanup(() => postgres.stop())
    return postgres
  })
  .extend('startProcessor', { scope: 'file' }, async ({ postgres }, { onCleanup }) => {
    const started: StartedApp[] = []
    onCleanup(async () => {
      await Promise.all(started.map((app) => app.stop()))
    })
    return async (options: { strategy?: Strategy; args?: string[] } = {}) => {
      const app = await startApp('processor', [
        `--database-url=${postgres.url}`,
        `--strategy=${options.strategy ?? 'optimized'}`,
        ...(options.args ?? []),
      ])
      started.push(app)
      return app
    }
  })
  .extend('processor', { scope: 'file' }, async ({ startProcessor }) => startProcessor())
  .extend('api', { scope: 'file' }, async ({ postgres, processor }, { onCleanup }) => {
    const api = await startApp('api', [`--database-url=${postgres.url}`, `--processor-url=${processor.url}`])
    onCleanup(() => api.stop())
    return api
  })
  .extend(
    'record',
    async ({ task }) =>
      (metric: Metric) =>
        attachMetric(task.meta, metric),
  )
  .extend(
    'chart',
    async ({ task }) =>
      (series: Chart) =>
        attachChart(task.meta, series),
  )
