import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import { setTimeout as sleep } from 'node:timers/promises'
import { CoreV1Api, CustomObjectsApi, type KubernetesObject, KubernetesObjectApi, loadAllYaml } from '@kubernetes/client-node'
import { afterAll, beforeAll, describe, expect, test } from 'vitest'
import { startApp } from '../../harness/apps.ts'
import { startContainerAccess } from '../../harness/cluster/container-access.ts'
import { waitForRollouts } from '../../harness/cluster/deploy.ts'
import type { ClusterAccess } from '../../harness/cluster/environment.ts'
import { clusterProfileUnavailable } from '../../harness/kubernetes.ts'
import { queryRows } from '../../harness/sql.ts'
import { createBenchmark } from './create-benchmark.ts'
import { installCrd } from './install-crd.ts'
import { GROUP, type PipelineBenchmark, PLURAL, VERSION } from './pipeline-benchmark.ts'

// The operator end to end on the kube profile's real node: installed from its manifests as a Deployment
// running as its own ServiceAccount, it turns a PipelineBenchmark into a processor Deployment and
// generator Jobs whose pods really run, and completes it with a stored report.
const why = await clusterProfileUnavailable({ name: 'kube', reason: 'test' })
const OPERATOR_MANIFESTS = join(import.meta.dirname, 'manifests', 'operator.yaml')
const namespace = 'bench'

describe.skipIf(why !== '')(`the operator in a pod on a real node${why ? ` (skipped: ${why})` : ''}`, { timeout: 600_000 }, () => {
  let access: ClusterAccess

  beforeAll(async () => {
    access = await startContainerAccess('kube')
    const { kc } = access
    await installCrd(kc)
    const core = kc.makeApiClient(CoreV1Api)
    const objects = KubernetesObjectApi.makeApiClient(kc)
    for (const o of loadAllYaml(readFileSync(OPERATOR_MANIFESTS, 'utf8')) as KubernetesObject[]) {
      if (o.kind === 'Deployment') {
        await core.createNamespacedSecret({
          namespace: 'performance-observatory',
          body: { metadata: { name: 'operator-database' }, stringData: { url: access.postgresUrlInCluster } },
        })
      }
      await objects.create(o)
    }
    await core.createNamespace({ body: { metadata: { name: namespace } } })
    // The processor pods the operator creates read the database URL from this Secret (--database-url-secret).
    await core.createNamespacedSecret({
      namespace,
      body: { metadata: { name: 'pipeline-database' }, stringData: { url: access.postgresUrlInCluster } },
    })
    await waitForRollouts(kc, 'performance-observatory', ['operator'], 180_000)
  }, 600_000)

  afterAll(async () => {
    await access?.release()
  })

  test('a PipelineBenchmark applied as a user would reaches Completed with real pods, and its report is stored', async () => {
    const custom = access.kc.makeApiClient(CustomObjectsApi)
    const started = performance.now()
    const source = { kind: 'iot' as const, rate: 2000, pattern: 'bursty', sizeBytes: { distribution: 'uniform', min: 200, max: 400 } }
    await createBenchmark(access.kc, namespace, 'e2e', { sources: [source] })
    const reached: Record<string, number> = {}
    let cr: PipelineBenchmark | undefined
    while (performance.now() - started < 300_000) {
      cr = (await custom.getNamespacedCustomObject({
        group: GROUP,
        version: VERSION,
        plural: PLURAL,
        namespace,
        name: 'e2e',
      })) as PipelineBenchmark
      const phase = cr.status?.phase
      if (phase && reached[phase] === undefined) reached[phase] = performance.now() - started
      if (phase === 'Completed' || phase === 'Failed') break
      await sleep(200)
    }
    console.log(`operator on kube: phases reached (ms after create): ${JSON.stringify(reached)}; status ${JSON.stringify(cr?.status)}`)
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
})
