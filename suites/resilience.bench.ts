import { setTimeout as sleep } from 'node:timers/promises'
import { CoreV1Api, type KubeConfig, type KubernetesObject, KubernetesObjectApi, PatchStrategy, type V1Pod } from '@kubernetes/client-node'
import pg from 'pg'
import { type GeneratorSummary, readPrometheusGauge, runGenerator } from '../harness/apps.ts'
import { waitForRollouts } from '../harness/cluster/deploy.ts'
import type { ClusterEnvironment } from '../harness/cluster/environment.ts'
import type { StartedApp, StartedPostgres } from '../harness/environment.ts'
import { test } from '../harness/fixtures.ts'
import { expectNoLoss } from '../harness/pipeline-run.ts'
import { queryRows } from '../harness/sql.ts'
import type { Metric } from '../model/metric.ts'

// What runtime benchmarks check beside speed: the pipeline under load through faults, and how long it takes
// to recover. Where pods really run (kube, k3s, cluster): the processor pod deleted, a rolling update, a CPU
// squeeze; the generator runs as a Job in the cluster, so it sees what a client of the Service sees. Where
// the apps are processes (local, docker, kwok): the processor SIGKILLed and restarted, PostgreSQL restarted,
// PostgreSQL held up by a lock. Opt-in (`pnpm bench resilience`): faults are a reliability check, not a
// per-change speed gate (scripts/suite-selection.ts).
const RATE = 2_000
const SECONDS = 30
/** Tries per batch: the generator's backoff caps at 2 s, so 40 tries ride out about 70 s without a processor. */
const MAX_ATTEMPTS = 40
const SELECTOR = 'app.kubernetes.io/name=processor'
const BATCH_SIZE = 100

podTest('a processor pod deleted mid-load: no acknowledged event lost, and how long until it is back', 10 * 60_000, async (env, record) => {
  const source = 'resilience-pod-deleted'
  const { load } = await flowingLoad(env, source)
  const core = env.access.kc.makeApiClient(CoreV1Api)
  const [victim] = await readyProcessorPods(env.access.kc, env.namespace)
  if (!victim) throw new Error('no ready processor pod to delete')
  const deletedAt = performance.now()
  await core.deleteNamespacedPod({ name: victim, namespace: env.namespace })
  await untilReadyPodBesides(env.access.kc, env.namespace, victim)
  const replacedMs = performance.now() - deletedAt
  const summary = await load
  const committed = await committedRows(env, source)
  console.log(`pod deleted: replacement ready after ${Math.round(replacedMs)} ms; ${describeLoad(summary, committed)}`)
  expectNothingLost(summary, committed)
  record({ name: 'replacement pod ready after a delete', value: replacedMs, unit: 'ms', direction: 'lower', tolerance: 1 })
  record({ name: 'seconds below half the rate', value: outageSeconds(summary), unit: 's', direction: 'lower', tolerance: 1 })
  record({ name: 'requests retried', value: summary.retries, unit: 'requests', direction: 'lower', tolerance: 2 })
})

podTest('a rolling update of the processor under load: no request fails', 10 * 60_000, async (env, record) => {
  const source = 'resilience-rolling-update'
  const { load } = await flowingLoad(env, source)
  // What `kubectl rollout restart` does: a new pod template, so every pod is replaced.
  const startedAt = performance.now()
  await patchProcessor(env, {
    spec: { template: { metadata: { annotations: { 'kubectl.kubernetes.io/restartedAt': new Date().toISOString() } } } },
  })
  await waitForRollouts(env.access.kc, env.namespace, ['processor'], 180_000)
  const rolloutMs = performance.now() - startedAt
  const summary = await load
  const committed = await committedRows(env, source)
  console.log(`rolling update: done in ${Math.round(rolloutMs)} ms; ${describeLoad(summary, committed)}`)
  expectNothingLost(summary, committed)
  // The new pod serves before the old one goes, and the old one drains after the Service has dropped it
  // (apps/manifests/pipeline.yaml: maxUnavailable 0, a preStop pause, SHUTDOWN_DRAIN_MS): a client sees no error, not even
  // one it could retry. At this rate the processor refuses nothing for load.
  if (summary.retries !== 0)
    throw new Error(`${summary.retries} requests failed and were retried during the rolling update (${summary.refused} refused)`)
  record({ name: 'rolling update under load', value: rolloutMs, unit: 'ms', direction: 'lower', tolerance: 1 })
  record({ name: 'requests retried', value: summary.retries, unit: 'requests', direction: 'lower', tolerance: 0 })
})

// A squeeze: the processor's CPU limit cut to 100m under a load it served at full CPU, then given back.
// The generator keeps at most 64 requests in flight, so a starved processor's queue stays far below its
// limit: it answers late (seen: ingest p99 1.3 s, end to end 8.6 s) rather than with 503s; both are recorded.
const SQUEEZED_RATE = 10_000
const SQUEEZE_SECONDS = 20

podTest(
  'a CPU squeeze to 100m under load: it slows without losing or refusing much, does not restart, and recovers',
  12 * 60_000,
  async (env, record) => {
    await setProcessorCpu(env, { requests: { cpu: '100m' }, limits: { cpu: '100m' } })
    const source = 'resilience-cpu-squeeze'
    const squeezed = await startLoad(env, source, { rate: SQUEEZED_RATE, seconds: SQUEEZE_SECONDS })
    const committed = await committedRows(env, source)
    const restarts = await processorRestarts(env)
    const requests = squeezed.generated / BATCH_SIZE + squeezed.retries
    console.log(`CPU squeeze to 100m at ${SQUEEZED_RATE}/s: ${describeLoad(squeezed, committed, SQUEEZED_RATE)}; ${restarts} restarts`)
    expectNothingLost(squeezed, committed)
    // Falling over would be the liveness probe killing a starved processor, or memory running out.
    if (restarts !== 0) throw new Error(`the squeezed processor restarted ${restarts} times; see kubectl -n ${env.namespace} describe pod`)
    record({
      name: 'refused share of requests at 100m',
      value: squeezed.refused / requests,
      unit: 'ratio',
      direction: 'lower',
      tolerance: 0.5,
    })
    const squeezedShare = committed / (squeezed.activeMs / 1000) / SQUEEZED_RATE
    record({ name: 'throughput share at 100m', value: squeezedShare, unit: 'ratio', direction: 'higher', tolerance: 0.2 })
    record({ name: 'ingest p99 at 100m', value: squeezed.ingestLatency.p99Us / 1000, unit: 'ms', direction: 'lower', tolerance: 1 })
    record({ name: 'end-to-end p99 at 100m', value: squeezed.endToEndLatency.p99Us / 1000, unit: 'ms', direction: 'lower', tolerance: 1 })

    // Given its CPU back, it serves the full rate again, with no refusals.
    await setProcessorCpu(env, { requests: { cpu: '500m' }, limits: { cpu: '2' } })
    const after = await startLoad(env, 'resilience-cpu-restored', { rate: RATE, seconds: 10 })
    const afterCommitted = await committedRows(env, 'resilience-cpu-restored')
    console.log(`CPU restored: ${describeLoad(after, afterCommitted, RATE)}`)
    expectNothingLost(after, afterCommitted)
    const share = afterCommitted / (after.activeMs / 1000) / RATE
    if (share < 0.95) throw new Error(`after the squeeze the processor took ${(share * 100).toFixed(0)}% of ${RATE} events/s`)
    record({ name: 'throughput share after the squeeze', value: share, unit: 'ratio', direction: 'higher', tolerance: 0.05 })
  },
)

test('the processor SIGKILLed mid-load and restarted on its port: nothing acknowledged lost', { timeout: 3 * 60_000 }, async ({
  profile,
  startProcessor,
  postgres,
  record,
  skip,
}) => {
  if (profile.pods === 'real') return skip(onPods(profile))
  const rate = 20_000
  const first = await startProcessor()
  const source = 'resilience-sigkill'
  const load = processLoad(first, source, rate)
  await sleep(3000)
  const killedAt = performance.now()
  process.kill(first.pid, 'SIGKILL')
  await startProcessor({ port: Number(new URL(first.url).port) })
  const backMs = performance.now() - killedAt
  const summary = await load
  const committed = await storedRows(postgres, source)
  console.log(`processor SIGKILL: serving again ${Math.round(backMs)} ms after; ${describeLoad(summary, committed, rate)}`)
  expectNothingLost(summary, committed)
  record({ name: 'serving again after a SIGKILL', value: backMs, unit: 'ms', direction: 'lower', tolerance: 1 })
  record({ name: 'seconds below half the rate', value: outageSeconds(summary, rate), unit: 's', direction: 'lower', tolerance: 1 })
  record({ name: 'requests retried', value: summary.retries, unit: 'requests', direction: 'lower', tolerance: 2 })
})

test('PostgreSQL restarted mid-load: 503 while it is down, reconnected after, nothing lost', { timeout: 3 * 60_000 }, async ({
  profile,
  processor,
  postgres,
  record,
  skip,
}) => {
  if (profile.pods === 'real') return skip(onPods(profile))
  const { stopServer, startServer } = postgres
  if (!stopServer || !startServer) return skip(`the ${profile.name} profile cannot restart its PostgreSQL in place; run --profile local`)
  const rate = 5000
  const source = 'resilience-postgres-restart'
  const load = processLoad(processor, source, rate)
  await sleep(3000)
  await stopServer()
  let whileDown: Response
  try {
    whileDown = await post(processor.url, {
      events: [{ kind: 'market', source: 'probe', seq: 1, ts: Date.now(), symbol: 'A', price: 1, volume: 1 }],
    })
    await sleep(2000)
  } finally {
    await startServer() // whatever happened, the suite's next test has its database
  }
  const summary = await load
  const committed = await storedRows(postgres, source)
  console.log(`PostgreSQL down 2 s: ${whileDown.status} while down; ${describeLoad(summary, committed, rate)}`)
  if (whileDown.status !== 503) throw new Error(`while PostgreSQL was down the processor answered ${whileDown.status}, not 503`)
  expectNothingLost(summary, committed)
  record({ name: 'seconds below half the rate', value: outageSeconds(summary, rate), unit: 's', direction: 'lower', tolerance: 1 })
  record({ name: 'requests refused while down', value: summary.refused, unit: 'requests', direction: 'lower', tolerance: 1 })
})

test('PostgreSQL held up by a lock: 503s at the queue bound, bounded memory, and recovery', { timeout: 3 * 60_000 }, async ({
  profile,
  startProcessor,
  postgres,
  record,
  skip,
}) => {
  if (profile.pods === 'real') return skip(onPods(profile))
  // Below what the generator keeps in flight (about 10 requests of 100 here), so a stalled database fills it.
  const queueMax = 500
  const rate = 5000
  const processor = await startProcessor({ args: [`--queue-max=${queueMax}`] })
  const source = 'resilience-lock'
  const locker = new pg.Client({ connectionString: postgres.url })
  await locker.connect()
  try {
    const loadStarted = performance.now()
    const load = processLoad(processor, source, rate)
    await sleep(3000)
    await locker.query('BEGIN')
    await locker.query('LOCK TABLE market_events IN ACCESS EXCLUSIVE MODE')
    let deepest = 0
    for (const until = Date.now() + 4000; Date.now() < until; await sleep(100))
      deepest = Math.max(deepest, await readPrometheusGauge(processor.url, 'processor_queue_events'))
    const releasedS = (performance.now() - loadStarted) / 1000
    await locker.query('COMMIT')
    const summary = await load
    const committed = await storedRows(postgres, source)
    const rssMiB = (await readPrometheusGauge(processor.url, 'processor_max_resident_memory_bytes')) / 2 ** 20
    const back = summary.ackedPerSecond.findIndex((n, second) => second >= Math.ceil(releasedS) && n >= rate * 0.9)
    console.log(
      `table lock held 4 s: queue at most ${deepest} of ${queueMax}, peak RSS ${rssMiB.toFixed(0)} MiB, released at ` +
        `${releasedS.toFixed(1)} s and at 90% of the rate again in second ${back}; ${describeLoad(summary, committed, rate)}`,
    )
    expectNothingLost(summary, committed)
    if (deepest > queueMax) throw new Error(`the queue held ${deepest} events, over its bound of ${queueMax}`)
    if (summary.refused === 0) throw new Error('a stalled database with a full queue refused nothing: no backpressure')
    if (back < 0) throw new Error(`after the lock the processor never took 90% of ${rate} events/s again`)
    record({ name: 'seconds to 90% of the rate after the lock', value: back - releasedS, unit: 's', direction: 'lower', tolerance: 1 })
    record({ name: 'requests refused at the queue bound', value: summary.refused, unit: 'requests', direction: 'lower', tolerance: 1 })
    record({ name: 'processor peak RSS', value: rssMiB, unit: 'MiB', direction: 'lower', tolerance: 0.2 })
  } finally {
    await locker.end()
  }
})

const onPods = (profile: { name: string }) => `the apps run as pods on ${profile.name}: the pod tests cover it`

/** 10 s of steady load from a generator process, with retries that outlast each fault. */
const processLoad = (processor: StartedApp, source: string, rate: number) =>
  runGenerator({ target: processor.url, ratePerSecond: rate, durationSeconds: 10, batchSize: 100, source, maxAttempts: MAX_ATTEMPTS })

const post = (url: string, body: unknown) =>
  fetch(`${url}/ingest`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) })

const storedRows = async (postgres: StartedPostgres, source: string) =>
  Number((await queryRows<{ n: string }>(postgres.url, 'SELECT count(*) AS n FROM market_events WHERE source = $1', [source]))[0]?.n ?? 0)

/** A rolling update of the processor to these resources, waited for. */
async function setProcessorCpu(env: ClusterEnvironment, resources: { requests: { cpu: string }; limits: { cpu: string } }) {
  await patchProcessor(env, { spec: { template: { spec: { containers: [{ name: 'processor', resources }] } } } })
  await waitForRollouts(env.access.kc, env.namespace, ['processor'], 180_000)
}

async function processorRestarts(env: ClusterEnvironment): Promise<number> {
  return (await processorPods(env.access.kc, env.namespace))
    .filter((p) => p.metadata?.deletionTimestamp === undefined)
    .reduce((n, p) => n + (p.status?.containerStatuses ?? []).reduce((r, c) => r + c.restartCount, 0), 0)
}

/** A strategic merge patch of the processor Deployment (containers merge by name). */
const patchProcessor = (env: ClusterEnvironment, patch: object) =>
  KubernetesObjectApi.makeApiClient(env.access.kc).patch(
    { apiVersion: 'apps/v1', kind: 'Deployment', metadata: { name: 'processor', namespace: env.namespace }, ...patch } as KubernetesObject,
    undefined,
    undefined,
    undefined,
    undefined,
    PatchStrategy.StrategicMergePatch,
  )

/** A test that needs real pods, with the pipeline deployed in the cluster; elsewhere it says why it skips. */
function podTest(name: string, timeoutMs: number, body: (env: ClusterEnvironment, record: (metric: Metric) => void) => Promise<void>) {
  test(name, { timeout: timeoutMs }, async ({ profile, inCluster, record, skip }) => {
    if (profile.pods !== 'real') return skip(`needs real pods: --profile kube, k3s or cluster (this is ${profile.name})`)
    await body(await inCluster(), record)
  })
}

/** Starts the load and returns once its events reach the database, with the promise of its summary. */
async function flowingLoad(env: ClusterEnvironment, source: string): Promise<{ load: Promise<GeneratorSummary> }> {
  const load = startLoad(env, source)
  await untilEventsStored(env, source)
  return { load }
}

function startLoad(env: ClusterEnvironment, source: string, { rate = RATE, seconds = SECONDS } = {}): Promise<GeneratorSummary> {
  const runLoad = env.processor.runLoad
  if (!runLoad) throw new Error('the cluster environment runs no load Jobs')
  return runLoad({ ratePerSecond: rate, durationSeconds: seconds, batchSize: BATCH_SIZE, source, maxAttempts: MAX_ATTEMPTS })
}

/** Waits until the load Job's events reach the database: its pod has started and the load flows. */
async function untilEventsStored(env: ClusterEnvironment, source: string): Promise<void> {
  const deadline = Date.now() + 120_000
  while ((await committedRows(env, source)) < RATE * 3) {
    if (Date.now() > deadline) throw new Error(`no events from ${source} reached the database within 120 s`)
    await sleep(250)
  }
}

const committedRows = (env: ClusterEnvironment, source: string) => storedRows(env.postgres, source)

const isReady = (pod: V1Pod) =>
  pod.metadata?.deletionTimestamp === undefined && (pod.status?.conditions?.some((c) => c.type === 'Ready' && c.status === 'True') ?? false)

const processorPods = async (kc: KubeConfig, namespace: string) =>
  (await kc.makeApiClient(CoreV1Api).listNamespacedPod({ namespace, labelSelector: SELECTOR })).items

async function readyProcessorPods(kc: KubeConfig, namespace: string): Promise<string[]> {
  return (await processorPods(kc, namespace)).filter(isReady).map((p) => p.metadata?.name as string)
}

async function untilReadyPodBesides(kc: KubeConfig, namespace: string, gone: string): Promise<void> {
  const deadline = Date.now() + 180_000
  while (!(await readyProcessorPods(kc, namespace)).some((name) => name !== gone)) {
    if (Date.now() > deadline) throw new Error(`no processor pod but ${gone} was ready within 180 s; see kubectl -n ${namespace} get pods`)
    await sleep(100)
  }
}

/** The pipeline's no-loss rule, and none given up: the retries outlasted the disruption. */
function expectNothingLost(summary: GeneratorSummary, committed: number): void {
  expectNoLoss({ load: summary, committed })
  if (summary.failed !== 0) throw new Error(`${summary.failed} events given up after ${MAX_ATTEMPTS} tries`)
}

/** Seconds of the run, after its first, in which fewer than half the offered events were acknowledged. */
const outageSeconds = (summary: GeneratorSummary, rate = RATE) =>
  summary.ackedPerSecond.slice(1, Math.round(summary.activeMs / 1000)).filter((n) => n < rate / 2).length

const describeLoad = (s: GeneratorSummary, committed: number, rate = RATE) =>
  `${s.acked} of ${s.generated} acknowledged, ${committed} stored, ${s.retries} retried (${s.refused} refused), ${s.failed} given up, ` +
  `${outageSeconds(s, rate)} s below half the rate, ingest p99 ${(s.ingestLatency.p99Us / 1000).toFixed(0)} ms`
