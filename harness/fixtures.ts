import { afterEach, test as base, beforeEach } from 'vitest'
import type { Strategy } from '../apps/processor/writers.ts'
import { startApp } from './apps.ts'
import type { ClusterEnvironment } from './cluster/environment.ts'
import type { StartedApp } from './environment.ts'
import { clusterFor, clusterProfileUnavailable, runsInCluster, serverGitVersion, startClusterEnvironment } from './kubernetes.ts'
import { attachChart, attachFacts, attachMetric, type Chart, type Metric, type RunFacts } from './metric.ts'
import { resolveProfile } from './profile.ts'
import { startPostgres } from './providers.ts'

// The versions this file's suites ran against, put on every test for the reporter's fingerprint.
const facts: RunFacts = {}
afterEach(({ task }) => attachFacts(task.meta, facts))

// Simulated nodes: room for the operator suite's 1000 benchmarks (a processor pod each; kwok's nodes take 110 pods).
const CLUSTER_NODES = 24

/**
 * The `test` suites use. Fixtures start lazily, only when a test names them, and stop in reverse order
 * whether the test passed or failed:
 *   profile    where things run (worker scope: decided once)
 *   postgres   a fresh database for this suite file
 *   processor  the stream processor (optimized strategy), migrated and healthy, writing to `postgres`
 *   api        the query/report API on `postgres`, live figures from `processor`
 *   startProcessor({ strategy })  another processor on the same database, stopped with the file
 *   inCluster  k3s / kube / cluster profiles: the pipeline deployed in a run namespace (behind postgres, processor, api)
 *   cluster    a Kubernetes API server for the operator's scale test (kwok profile), or why there is none
 *   record     record(metric) stores a figure for the reporter to judge against the baseline
 *   chart      chart(series) adds a latency distribution or throughput timeline to the HTML report
 */
export const test = base
  .extend('profile', { scope: 'worker' }, async () => resolveProfile())
  // k3s and cluster: the pipeline deployed in a cluster, started on first use by postgres/processor/api.
  .extend('inCluster', { scope: 'file' }, async ({ profile }, { onCleanup }) => {
    let started: Promise<ClusterEnvironment> | undefined
    onCleanup(async () => {
      if (started) await (await started).stop()
    })
    return () => {
      started ??= startClusterEnvironment(profile).then(async (environment) => {
        facts.kubernetes = await serverGitVersion(environment.access.kc)
        return environment
      })
      return started
    }
  })
  .extend('postgres', { scope: 'file' }, async ({ profile, inCluster }, { onCleanup }) => {
    const postgres = runsInCluster(profile) ? (await inCluster()).postgres : await startPostgres(profile)
    if (!runsInCluster(profile)) onCleanup(() => postgres.stop())
    facts.postgres = postgres.version
    return postgres
  })
  .extend('startProcessor', { scope: 'file' }, async ({ profile, postgres, inCluster }, { onCleanup }) => {
    const started: StartedApp[] = []
    onCleanup(async () => {
      await Promise.all(started.map((app) => app.stop()))
    })
    return async (options: { strategy?: Strategy; args?: string[] } = {}) => {
      if (runsInCluster(profile)) {
        if (options.strategy === 'naive' || options.args?.length) {
          throw new Error(
            `The ${profile.name} profile deploys one processor (optimized, default flags); this suite needs another: run it on local or docker.`,
          )
        }
        return (await inCluster()).processor
      }
      const app = await startApp('processor', [
        `--database-url=${postgres.url}`,
        `--strategy=${options.strategy ?? 'optimized'}`,
        ...(options.args ?? []),
      ])
      started.push(app)
      return app
    }
  })
  .extend('cluster', { scope: 'file' }, async ({ profile }, { onCleanup }) => {
    const cluster = await clusterFor(profile, CLUSTER_NODES)
    if ('stop' in cluster) {
      onCleanup(() => cluster.stop())
      facts.kubernetes = cluster.version
    }
    return cluster
  })
  .extend('processor', { scope: 'file' }, async ({ startProcessor }) => startProcessor())
  .extend('api', { scope: 'file' }, async ({ profile, postgres, processor, inCluster }, { onCleanup }) => {
    if (runsInCluster(profile)) return (await inCluster()).api
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

// A k3s or cluster profile this machine cannot run: every suite test skips, saying why (in its output and
// the report), instead of failing on an environment that was never there.
let unavailable: Promise<string> | undefined
beforeEach(async ({ skip }) => {
  unavailable ??= resolveProfile().then((profile) => clusterProfileUnavailable(profile))
  const why = await unavailable
  if (why) skip(why)
})
