import { afterEach, test as base, beforeEach, describe } from 'vitest'
import type { Chart, Metric, RunFacts } from '../model/metric.ts'
import { suiteName } from '../reporters/collect.ts'
import type { ClusterEnvironment } from './cluster/environment.ts'
import { saveCpuProfile } from './cpu-profile.ts'
import type { V8CpuProfile } from './cpu-profile-summary.ts'
import type { ProcessorOptions, Profile, StartedApp, StartedEnvironment } from './environment.ts'
import { chosenImplementation, IMPLEMENTATIONS, type Implementation, implementationUnavailable } from './implementations.ts'
import { followLive } from './live-target.ts'
import { attachChart, attachCpuProfile, attachFacts, attachMetric } from './metric.ts'
import { resolveProfile } from './profile.ts'
import { profileNamed } from './profiles.ts'

// The versions this file's suites ran against, put on every test for the reporter's fingerprint.
const facts: RunFacts = {}
afterEach(({ task }) => attachFacts(task.meta, facts))

/**
 * The `test` suites use. Fixtures start lazily, only when a test names them, and stop in reverse order
 * whether the test passed or failed:
 *   profile      where things run (worker scope: decided once; harness/profiles.ts lists them)
 *   environment  () => the profile started for this suite file, on first call
 *   postgres     the environment's database
 *   implementation  the processor implementation a test starts (harness/implementations.ts): the run's
 *                (pnpm bench --implementation, default 'typescript'), or its describe block's test.override
 *   processor    the stream processor of that implementation (optimized strategy), migrated and healthy,
 *                writing to `postgres`: one per implementation and file
 *   api          the query/report API on `postgres`, live figures from the run's implementation's processor
 *   startProcessor({ strategy })  another processor on the same database, stopped with the file
 *   inCluster    () => the pipeline deployed as pods, where the profile's pods are 'real'
 *   record       record(metric) stores a figure for the reporter to judge against the baseline
 *   chart        chart(series) adds a latency distribution or throughput timeline to the HTML report
 *   cpuProfiles  cpuProfiles(run.cpuProfiles) saves a run's CPU profiles and puts them in the reports
 */
export const test = base
  .extend('profile', { scope: 'worker' }, async (): Promise<Profile> => profileNamed((await resolveProfile()).name))
  .extend('environment', { scope: 'file' }, async ({ profile }, { onCleanup }) => {
    let started: Promise<StartedEnvironment> | undefined
    onCleanup(async () => {
      if (started) await (await started).stop()
    })
    return () => {
      started ??= profile.start().then((environment) => {
        Object.assign(facts, environment.facts)
        return environment
      })
      return started
    }
  })
  .extend('postgres', { scope: 'file' }, async ({ environment }) => (await environment()).postgres)
  .extend('startAnyProcessor', { scope: 'file' }, async ({ environment }) => async (options: ProcessorOptions = {}) => {
    const processor = await (await environment()).startProcessor(options)
    await followLive(processor.url)
    return processor
  })
  // The run's (pnpm bench --implementation); a describe block measures another with test.override.
  .extend('implementation', chosenImplementation())
  .extend(
    'startProcessor',
    async ({ startAnyProcessor, implementation }) =>
      (options: ProcessorOptions = {}) =>
        startAnyProcessor({ implementation, ...options }),
  )
  .extend('processors', { scope: 'file' }, async ({ startAnyProcessor }) => {
    const started = new Map<Implementation, Promise<StartedApp>>()
    return (implementation: Implementation) => {
      const processor = started.get(implementation) ?? startAnyProcessor({ implementation })
      started.set(implementation, processor)
      return processor
    }
  })
  .extend('inCluster', { scope: 'file' }, async ({ profile, environment }) => async (): Promise<ClusterEnvironment> => {
    const { deployed } = await environment()
    if (!deployed) throw new Error(`The ${profile.name} profile runs no pods; use a profile whose pods are real (kube, k3s, cluster).`)
    return deployed
  })
  .extend('processor', async ({ processors, implementation }) => processors(implementation))
  .extend('api', { scope: 'file' }, async ({ environment, processors }) =>
    (await environment()).startApi(await processors(chosenImplementation())),
  )
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
  .extend('cpuProfiles', async ({ task }) => async (profiles: { app: string; profile: V8CpuProfile; heapSnapshot?: string }[]) => {
    const suite = suiteName(task.file.name)
    for (const { app, ...taken } of profiles) attachCpuProfile(task.meta, await saveCpuProfile(taken, { suite, test: task.name, app }))
  })

// A profile this machine cannot run: every suite test skips, saying why (in its output and the report),
// instead of failing on an environment that was never there.
let unavailable: Promise<string> | undefined
beforeEach(async ({ skip }) => {
  unavailable ??= resolveProfile().then((choice) => profileNamed(choice.name).unavailable())
  const why = await unavailable
  if (why) skip(why)
})

/**
 * A describe block per processor implementation (harness/implementations.ts), named `NAME, rust processor`:
 * its tests' `processor` and `startProcessor` are that implementation's. Where one is not built, its tests
 * skip, naming why and what to run. The contract tests use this, so each implementation is held to them.
 */
export function describeEachImplementation(name: string, options: { timeout?: number }, body: (implementation: Implementation) => void) {
  describe.for(IMPLEMENTATIONS)(`${name}, %s processor`, options, (implementation) => {
    test.override('implementation', implementation)
    beforeEach(({ skip }) => {
      const why = implementationUnavailable(implementation)
      if (why) skip(why)
    })
    body(implementation)
  })
}
