import { join } from 'node:path'
import { setTimeout as sleep } from 'node:timers/promises'
import { CoreV1Api, CustomObjectsApi, KubeConfig, type KubernetesObject, makeInformer } from '@kubernetes/client-node'
import pLimit from 'p-limit'
import { quantileSorted } from 'simple-statistics'
import { createBenchmark, waitForBenchmarkEnd } from '../apps/operator/create-benchmark.ts'
import { installCrd } from '../apps/operator/install-crd.ts'
import { GROUP, type PipelineBenchmark, PLURAL, VERSION } from '../apps/operator/pipeline-benchmark.ts'
import { parsePrometheusText } from '../apps/shared/prometheus-text.ts'
import { spawnNodeChild } from '../harness/child.ts'
import { installOperator } from '../harness/cluster/install-operator.ts'
import { test } from '../harness/fixtures.ts'
import { measurePodStartup } from '../harness/kube/pod-startup.ts'
import { runtimeMetrics, runtimeWindowOf } from '../harness/runtime-metrics.ts'
import { queryRows } from '../harness/sql.ts'

// The operator as it runs for real (its own process, its own informers) against a real API server, for
// N = 10, 100 and 1000 benchmarks created at once: how long until each is Running (its processor ready)
// and Completed (its generators finished; kwok completes simulated pods at once, so this is the operator's
// and the control plane's own latency), reconcile time, and what each benchmark costs the API server.
// BENCH_OPERATOR_SCALES=10 for a quick run (the end-to-end test of this suite uses it).
const SCALES = (process.env.BENCH_OPERATOR_SCALES ?? '10,100,1000').split(',').map(Number)
const OPERATOR = join(import.meta.dirname, '..', 'apps', 'operator', 'main.ts')
const CREATE_CONCURRENCY = 16
const API_QPS = 50

// At 50 API requests per second and ~13 requests per benchmark, N = 1000 alone takes about 5 minutes.
test('operator: time to Running and Completed, reconcile latency and API cost for N benchmarks', { timeout: 20 * 60_000 }, async ({
  profile,
  environment,
  record,
  skip,
}) => {
  if (profile.pods !== 'simulated')
    return skip(
      `needs simulated nodes for 1000 benchmarks: --profile kwok (builds kube-apiserver, etcd and kwok from Go modules on first use); ` +
        (profile.pods === 'real'
          ? `the ${profile.name} profile's pods really run (the end-to-end test)`
          : `the ${profile.name} profile has no Kubernetes`),
    )
  const cluster = (await environment()).simulatedCluster
  if (!cluster) throw new Error(`The ${profile.name} profile started without its simulated cluster.`)
  console.log(`operator: ${cluster.description}; started in ${Math.round(cluster.startMs)} ms`)
  record({ name: 'control plane start ms', value: cluster.startMs, unit: 'ms', direction: 'lower', tolerance: 0.5 })
  const kc = new KubeConfig()
  kc.loadFromFile(cluster.kubeconfig)
  await installCrd(kc)

  for (const n of SCALES) {
    const figures = await runScale(kc, cluster.kubeconfig, n)
    const { requestsByVerb, operatorRuntime, ...numbers } = figures
    for (const metric of runtimeMetrics('operator', operatorRuntime)) record({ ...metric, name: `N=${n} ${metric.name}` })
    const line = Object.entries(numbers)
      .map(([k, v]) => `${k} ${v.toFixed(v < 10 ? 2 : 0)}`)
      .join(', ')
    console.log(`operator N=${n}: ${line}; API requests by verb: ${requestsByVerb}`)
    const ms = { unit: 'ms', direction: 'lower', tolerance: 0.5 } as const
    record({ name: `N=${n} to Running p50 ms`, value: figures.runningP50, ...ms })
    record({ name: `N=${n} to Running p99 ms`, value: figures.runningP99, ...ms })
    record({ name: `N=${n} to Completed p50 ms`, value: figures.completedP50, ...ms })
    record({ name: `N=${n} to Completed p99 ms`, value: figures.completedP99, ...ms })
    record({ name: `N=${n} reconcile p50 ms`, value: figures.reconcileP50, ...ms })
    record({ name: `N=${n} reconcile p99 ms`, value: figures.reconcileP99, ...ms })
    // Counts, not timings: any change is a change in what the operator does.
    record({
      name: `N=${n} API requests per reconcile`,
      value: figures.requestsPerReconcile,
      unit: 'requests',
      direction: 'lower',
      tolerance: 0.1,
      transfers: true,
    })
    record({
      name: `N=${n} API requests per benchmark`,
      value: figures.requestsPerBenchmark,
      unit: 'requests',
      direction: 'lower',
      tolerance: 0.1,
      transfers: true,
    })
    record({
      name: `N=${n} operator CPU ms per benchmark`,
      value: figures.cpuMsPerBenchmark,
      unit: 'ms',
      direction: 'lower',
      tolerance: 0.3,
    })
  }
})

// The operator end to end where pods really run (kube, k3s, cluster profiles): installed from its
// manifests as a Deployment under its own ServiceAccount, it gets one PipelineBenchmark applied as a user
// would. Its latency target (1 ms) is one no replica count meets, so the latency policy scales it up once
// (then the cooldown holds) and the status says why. Recorded: pod startup, operator rollout, time to
// Running, the scale-up decision and its replica ready, Completed after the load, and the report's figures.
const E2E_RATE = 5000
const E2E_SECONDS = 30
const STARTUP_PODS = 20

test('operator end to end: a PipelineBenchmark on real pods, from apply to its report', { timeout: 15 * 60_000 }, async ({
  profile,
  inCluster,
  record,
  skip,
}) => {
  if (profile.pods !== 'real')
    return skip(`needs pods that really run: --profile kube (or k3s, cluster); the ${profile.name} profile has none`)
  const deployed = await inCluster()
  const { kc, generatorImage, postgres } = deployed.access
  const ms = { unit: 'ms', direction: 'lower', tolerance: 1 } as const
  // Pods with nothing else starting: the node's own figure, before the operator adds its own.
  const startup = await measurePodStartup(kc, generatorImage, STARTUP_PODS)
  record({ name: `pod startup p50 (${STARTUP_PODS} pods at once)`, value: startup.p50Ms, ...ms })
  record({ name: `pod startup p99 (${STARTUP_PODS} pods at once)`, value: startup.p99Ms, ...ms })
  const namespace = 'operator-e2e'
  const { rolloutMs } = await installOperator(deployed.access, namespace)
  record({ name: 'operator rollout ms', value: rolloutMs, ...ms })

  const since = performance.now()
  await createBenchmark(kc, namespace, 'slo', {
    sources: [{ kind: 'market', rate: E2E_RATE }],
    processing: { strategy: 'optimized', replicas: { min: 1, max: 2 }, scalingPolicy: 'latency' },
    targets: { minThroughputPerSecond: E2E_RATE, maxP99Ms: 1 },
    durationSeconds: E2E_SECONDS,
  })
  const { cr, reached } = await waitForBenchmarkEnd(kc, namespace, 'slo', since, 5 * 60_000)
  const status = cr?.status
  console.log(`operator end to end: phases (ms after create) ${JSON.stringify(reached)}; status ${JSON.stringify(status)}`)
  if (status?.phase !== 'Completed') throw new Error(`the benchmark ended ${status?.phase ?? 'nowhere'}: ${JSON.stringify(status)}`)
  const { Running: running, ScaledUp: scaledUp, ScaledUpReady: scaledUpReady, Completed: completed } = reached
  if (running === undefined || completed === undefined) throw new Error(`phases seen: ${JSON.stringify(reached)}`)
  if (scaledUp === undefined) throw new Error(`no scale-up under a target one replica cannot meet: ${status.lastScaleReason}`)
  if (scaledUpReady === undefined) throw new Error(`the added replica never became ready: ${JSON.stringify(status.conditions)}`)
  if (!/^p99 [\d.]+ ms above 1 ms$/.test(status.lastScaleReason ?? '')) throw new Error(`scaled for '${status.lastScaleReason}'`)
  // Every acknowledged event is one stored row, and the summary (over every replica) counts them all.
  const [stored] = await queryRows<{ n: string }>(postgres.url, "SELECT count(*) AS n FROM market_events WHERE source LIKE 'slo-%'")
  const summary = status.summary
  if (!summary || Math.abs(summary.throughputPerSecond * E2E_SECONDS - Number(stored?.n)) > E2E_SECONDS)
    throw new Error(`the summary (${JSON.stringify(summary)}) does not account for the ${stored?.n} rows stored`)
  // The report, as a user reads it: from the query/report API.
  const answer = await fetch(`${deployed.api.url}/api/v1/benchmarks/${namespace}/slo`)
  const report = (await answer.json()) as { phase?: string; status?: typeof status }
  if (answer.status !== 200 || report.phase !== 'Completed' || report.status?.summary?.throughputPerSecond !== summary.throughputPerSecond)
    throw new Error(`the API's report disagrees with the status: ${answer.status} ${JSON.stringify(report)}`)

  record({ name: 'to Running ms', value: running, ...ms })
  record({ name: 'scale-up decision ms (after Running)', value: scaledUp - running, ...ms })
  record({ name: 'scaled-up replica ready ms (after the decision)', value: scaledUpReady - scaledUp, ...ms })
  record({ name: 'Completed after the load ms', value: completed - running - E2E_SECONDS * 1000, ...ms })
  // A share of its own target: the same on a slower machine as long as the pipeline keeps up.
  const share = summary.throughputPerSecond / E2E_RATE
  record({ name: 'throughput share of target', value: share, unit: 'ratio', direction: 'higher', tolerance: 0.05, transfers: true })
  record({ name: 'event latency p99 ms', value: summary.p99Ms, ...ms })
  record({ name: 'processor peak memory MiB', value: summary.peakMemoryMiB, unit: 'MiB', direction: 'lower', tolerance: 0.2 })
  console.log(
    `operator end to end: Running ${Math.round(running)} ms, scaled up ${Math.round(scaledUp - running)} ms later (${status.lastScaleReason}), ` +
      `its replica ready ${Math.round(scaledUpReady - scaledUp)} ms after that, ` +
      `Completed ${Math.round(completed)} ms; ${summary.throughputPerSecond}/s of ${E2E_RATE}/s, event p99 ${summary.p99Ms} ms, ${summary.peakMemoryMiB} MiB`,
  )
})

async function runScale(kc: KubeConfig, kubeconfig: string, n: number) {
  const namespace = `scale-${n}`
  await kc.makeApiClient(CoreV1Api).createNamespace({ body: { metadata: { name: namespace } } })
  const custom = kc.makeApiClient(CustomObjectsApi)
  const operator = spawnNodeChild('operator', OPERATOR, ['--metrics-port=0', `--api-qps=${API_QPS}`], { KUBECONFIG: kubeconfig })
  try {
    const { port } = await operator.waitFor('listening', 60_000)
    const runtime = await runtimeWindowOf(`http://127.0.0.1:${port}`)
    const createdAt = new Map<string, number>()
    const runningAt = new Map<string, number>()
    const completedAt = new Map<string, number>()
    let allDone: () => void = () => {}
    const done = new Promise<void>((resolve) => {
      allDone = resolve
    })
    // Our own watch on the benchmarks: when each first shows Ready (Running) and Completed.
    const path = `/apis/${GROUP}/${VERSION}/namespaces/${namespace}/${PLURAL}`
    const informer = makeInformer(kc, path, () =>
      custom.listNamespacedCustomObject({ group: GROUP, version: VERSION, plural: PLURAL, namespace }),
    )
    const observe = (object: KubernetesObject) => {
      const cr = object as unknown as PipelineBenchmark
      const now = performance.now()
      const name = cr.metadata.name
      if (!runningAt.has(name) && cr.status?.conditions?.some((c) => c.type === 'Ready' && c.status === 'True')) runningAt.set(name, now)
      if (!completedAt.has(name) && cr.status?.phase === 'Completed') {
        completedAt.set(name, now)
        if (completedAt.size === n) allDone()
      }
    }
    informer.on('add', observe)
    informer.on('update', observe)
    await informer.start()

    const started = performance.now()
    const limit = pLimit(CREATE_CONCURRENCY)
    await Promise.all(
      Array.from({ length: n }, (_, i) =>
        limit(async () => {
          const name = `bench-${String(i).padStart(4, '0')}`
          createdAt.set(name, performance.now())
          await createBenchmark(kc, namespace, name)
        }),
      ),
    )
    const timeoutMs = 60_000 + n * 500
    const timedOut = await Promise.race([done.then(() => false), new Promise<boolean>((r) => setTimeout(() => r(true), timeoutMs).unref())])
    await informer.stop()
    if (timedOut) throw new Error(`N=${n}: only ${completedAt.size} of ${n} benchmarks Completed within ${timeoutMs} ms`)
    const elapsedMs = performance.now() - started

    const samples = parsePrometheusText(await (await fetch(`http://127.0.0.1:${port}/metrics`)).text())
    const reconciles = samples.get('operator_reconciles_total') ?? 0
    const byVerb = [...samples].flatMap(([k, v]) => {
      const verb = /^operator_api_requests_total\{verb="([^"]+)"\}$/.exec(k)?.[1]
      return verb ? [[verb, v] as const] : []
    })
    const requests = byVerb.reduce((sum, [, v]) => sum + v, 0)
    const since = (at: Map<string, number>) => [...at].map(([name, t]) => t - (createdAt.get(name) as number)).sort((a, b) => a - b)
    const running = since(runningAt)
    const completed = since(completedAt)
    const operatorRuntime = await runtime.read()
    return {
      operatorRuntime,
      runningP50: quantileSorted(running, 0.5),
      runningP99: quantileSorted(running, 0.99),
      completedP50: quantileSorted(completed, 0.5),
      completedP99: quantileSorted(completed, 0.99),
      reconcileP50: (samples.get('operator_reconcile_seconds{quantile="0.5"}') ?? 0) * 1000,
      reconcileP99: (samples.get('operator_reconcile_seconds{quantile="0.99"}') ?? 0) * 1000,
      requestsPerReconcile: requests / reconciles,
      requestsPerBenchmark: requests / n,
      cpuMsPerBenchmark: ((samples.get('process_cpu_seconds_total') ?? 0) * 1000) / n,
      reconciles,
      elapsedS: elapsedMs / 1000,
      requestsByVerb: byVerb.map(([verb, v]) => `${verb} ${v}`).join(', '),
    }
  } finally {
    // Benchmarks carry our finalizer: delete them while the operator runs, or the namespace never goes.
    // Wait for them to go, so the next scale's operator starts on an empty cluster.
    await custom.deleteCollectionNamespacedCustomObject({ group: GROUP, version: VERSION, plural: PLURAL, namespace }).catch(() => {})
    const deadline = Date.now() + 60_000 + n * 200
    while (Date.now() < deadline) {
      const left = (await custom.listNamespacedCustomObject({ group: GROUP, version: VERSION, plural: PLURAL, namespace })) as {
        items: unknown[]
      }
      if (left.items.length === 0) break
      await sleep(250)
    }
    await operator.stop({ via: 'SIGTERM' })
  }
}
