import { AppsV1Api, CoreV1Api, KubeConfig } from '@kubernetes/client-node'
import { afterAll, beforeAll, describe, expect, test } from 'vitest'
import { type KwokCluster, startKwokCluster } from '../kwok/cluster.ts'
import { goMissing } from '../kwok/control-plane.ts'
import { deployPipeline } from './deploy.ts'
import { createRunNamespace, deleteNamespace, RUN_LABEL } from './namespace.ts'

// The cluster profile's namespace lifecycle and deployment against a real API server (kwok: the pods are
// simulated, so the rollout completes without images; reaching the apps is left to k3s in GitHub Actions).
const why = goMissing()

describe.skipIf(why !== '')(`cluster profile on a kwok control plane${why ? ` (skipped: ${why})` : ''}`, { timeout: 120_000 }, () => {
  let cluster: KwokCluster
  let kc: KubeConfig
  beforeAll(async () => {
    cluster = await startKwokCluster(1)
    kc = new KubeConfig()
    kc.loadFromFile(cluster.kubeconfig)
    // Pods wait for their namespace's default service account, which the controller-manager makes.
  }, 45 * 60_000)
  afterAll(() => cluster?.stop(), 120_000)

  test('a run namespace is created labelled, the pipeline rolls out in it, and deleting it removes everything', async () => {
    const namespace = await createRunNamespace(kc)
    expect(namespace).toMatch(/^po-run-[0-9a-f]{8}$/)
    const core = kc.makeApiClient(CoreV1Api)
    expect((await core.readNamespace({ name: namespace })).metadata?.labels?.[RUN_LABEL]).toBe(namespace.slice('po-run-'.length))

    const { rolloutMs } = await deployPipeline(kc, namespace, { databaseUrl: 'postgresql://bench@db/bench', timeoutMs: 60_000 })
    expect(rolloutMs).toBeGreaterThan(0)
    const apps = kc.makeApiClient(AppsV1Api)
    const deployments = await apps.listNamespacedDeployment({ namespace })
    expect(deployments.items.map((d) => [d.metadata?.name, d.status?.availableReplicas])).toEqual([
      ['api', 1],
      ['processor', 1],
    ])
    const secret = await core.readNamespacedSecret({ name: 'pipeline-database', namespace })
    expect(Buffer.from(secret.data?.url ?? '', 'base64').toString()).toBe('postgresql://bench@db/bench')

    await deleteNamespace(kc, namespace, 90_000)
    await expect(core.readNamespace({ name: namespace })).rejects.toMatchObject({ code: 404 })
  })
})
