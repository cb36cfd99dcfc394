import { CustomObjectsApi } from '@kubernetes/client-node'
import { afterAll, beforeAll, describe, expect, test } from 'vitest'
import { startApp } from '../../harness/apps.ts'
import { startContainerAccess } from '../../harness/cluster/container-access.ts'
import type { ClusterAccess } from '../../harness/cluster/environment.ts'
import { installOperator } from '../../harness/cluster/install-operator.ts'
import { KUBE_NODE, kubeProfile } from '../../harness/kube/profile.ts'
import { queryRows } from '../../harness/sql.ts'
import { createBenchmark, waitForBenchmarkEnd } from './create-benchmark.ts'
import { GROUP, type PipelineBenchmark, PLURAL, VERSION } from './pipeline-benchmark.ts'

// The operator end to end on the kube profile's real node: installed from its manifests as a Deployment
// running as its own ServiceAccount, it turns a PipelineBenchmark into a processor Deployment and
// generator Jobs whose pods really run, and completes it with a stored report.
const why = await kubeProfile.unavailable()
const namespace = 'bench'

describe.skipIf(why !== '')(`the operator in a pod on a real node${why ? ` (skipped: ${why})` : ''}`, { timeout: 600_000 }, () => {
  let access: ClusterAccess

  beforeAll(async () => {
    access = await startContainerAccess(KUBE_NODE)
    await installOperator(access, namespace)
  }, 600_000)

  afterAll(async () => {
    await access?.release()
  })

  async function waitFinished(name: string, since: number) {
    const end = await waitForBenchmarkEnd(access.kc, namespace, name, since)
    console.log(
      `operator on kube: ${name} phases reached (ms after create): ${JSON.stringify(end.reached)}; status ${JSON.stringify(end.cr?.status)}`,
    )
    return end
  }

  test('a PipelineBenchmark applied as a user would reaches Completed with real pods, and its report is stored', async () => {
    const started = performance.now()
    const source = { kind: 'iot' as const, rate: 2000, pattern: 'bursty', sizeBytes: { distribution: 'uniform', min: 200, max: 400 } }
    await createBenchmark(access.kc, namespace, 'e2e', { sources: [source] })
    const { cr, reached } = await waitFinished('e2e', started)
    expect(cr?.status?.phase, JSON.stringify(cr?.status)).toBe('Completed')
    expect(reached.Running).toBeLessThan(reached.Completed as number)
    // The report, read the way a user would: from the query/report API over the results database.
    await using api = await startApp('api', [`--database-url=${access.postgres.url}`])
    const answer = await fetch(`${api.url}/api/v1/benchmarks/${namespace}/e2e`)
    expect(answer.status).toBe(200)
    const report = (await answer.json()) as { phase: string; spec: PipelineBenchmark['spec']; status: PipelineBenchmark['status'] }
    expect(report.phase).toBe('Completed')
    expect(report.spec.sources).toEqual([source])
    expect(report.status?.summary?.throughputPerSecond).toBeGreaterThan(0)
    expect((await fetch(`${api.url}/api/v1/benchmarks/${namespace}/absent`)).status).toBe(404)
    // The source's fields reached the generator pod: IoT events, payloads within sizeBytes, bursts over the base rate.
    const [stored] = await queryRows<{ n: string; smallest: number; largest: number }>(
      access.postgres.url,
      "SELECT count(*) AS n, min(octet_length(payload)) AS smallest, max(octet_length(payload)) AS largest FROM iot_events WHERE source = 'e2e-0-0'",
    )
    expect(Number(stored?.n)).toBeGreaterThan(2000 * 5) // bursts at 4x the base rate offer more than rate x duration
    // sizeBytes bounds the payload as sent (base64 text); stored decoded, it is 3/4 of that (the default, 100, stores 75).
    expect(stored?.smallest).toBeGreaterThanOrEqual(150)
    expect(stored?.largest).toBeLessThanOrEqual(300)
  })

  test('a run on two replicas counts both, judges event latency, and is compared with its baselineRef', async () => {
    const rate = 4000
    const durationSeconds = 5
    await createBenchmark(access.kc, namespace, 'two-replicas', {
      sources: [{ kind: 'market', rate }],
      processing: { strategy: 'optimized', replicas: { min: 2, max: 2 } },
      targets: { maxP99Ms: 60_000 },
      durationSeconds,
      baselineRef: 'e2e',
    })
    const { cr } = await waitFinished('two-replicas', performance.now())
    expect(cr?.status?.phase, JSON.stringify(cr?.status)).toBe('Completed')
    expect(cr?.status?.replicas).toBe(2)
    // Each replica took about half the events (the Service spreads connections): read through the Service
    // proxy as before, the summary said about half the rate. Summed over both pods it is what was stored.
    const [stored] = await queryRows<{ n: string }>(
      access.postgres.url,
      "SELECT count(*) AS n FROM market_events WHERE source = 'two-replicas-0-0'",
    )
    const summary = cr?.status?.summary
    expect(Math.abs((summary?.throughputPerSecond ?? 0) * durationSeconds - Number(stored?.n))).toBeLessThanOrEqual(durationSeconds)
    expect(summary?.throughputPerSecond).toBeGreaterThan(rate * 0.8)
    // maxP99Ms is judged on event latency (event time to acknowledgement), which this run has.
    expect(summary?.p99Ms).toBeGreaterThan(0)
    expect(cr?.status?.conditions?.find((c) => c.type === 'TargetsMet')).toMatchObject({ status: 'True' })
    // baselineRef: compared with the stored report of the first test's run.
    const compared = cr?.status?.conditions?.find((c) => c.type === 'BaselineCompared')
    expect(compared, JSON.stringify(cr?.status?.conditions)).toMatchObject({ status: 'True', reason: 'Compared' })
    expect(compared?.message).toMatch(/^against e2e: throughput [+-]\d/)
    const custom = access.kc.makeApiClient(CustomObjectsApi)
    const first = (await custom.getNamespacedCustomObject({
      group: GROUP,
      version: VERSION,
      plural: PLURAL,
      namespace,
      name: 'e2e',
    })) as PipelineBenchmark
    const expected = (summary?.throughputPerSecond ?? 0) / (first.status?.summary?.throughputPerSecond ?? 0) - 1
    expect(cr?.status?.comparison?.changes?.throughputPerSecond).toBeCloseTo(expected, 3)
  })
})
