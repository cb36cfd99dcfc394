import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import { CoreV1Api, type KubernetesObject, KubernetesObjectApi, loadAllYaml } from '@kubernetes/client-node'
import { installCrd } from '../../apps/operator/install-crd.ts'
import { waitForRollouts } from './deploy.ts'
import type { ClusterAccess } from './environment.ts'

const OPERATOR_MANIFESTS = join(import.meta.dirname, '..', '..', 'apps', 'operator', 'manifests', 'operator.yaml')
const OPERATOR_NAMESPACE = 'performance-observatory'

/**
 * The operator installed as a user would: its CRD, then its manifests (ServiceAccount, least-privilege
 * RBAC, Deployment), with the reports database it writes to (Secret operator-database). `benchmarkNamespace`
 * is made ready for PipelineBenchmarks: its processor pods read the database URL from Secret
 * pipeline-database. Returns how long the operator took to roll out.
 */
export async function installOperator(access: ClusterAccess, benchmarkNamespace: string): Promise<{ rolloutMs: number }> {
  const { kc } = access
  await installCrd(kc)
  const core = kc.makeApiClient(CoreV1Api)
  const objects = KubernetesObjectApi.makeApiClient(kc)
  const started = performance.now()
  for (const o of loadAllYaml(readFileSync(OPERATOR_MANIFESTS, 'utf8')) as KubernetesObject[]) {
    if (o.kind === 'Deployment') {
      await core.createNamespacedSecret({
        namespace: OPERATOR_NAMESPACE,
        body: { metadata: { name: 'operator-database' }, stringData: { url: access.postgresUrlInCluster } },
      })
    }
    await objects.create(o)
  }
  await core.createNamespace({ body: { metadata: { name: benchmarkNamespace } } })
  await core.createNamespacedSecret({
    namespace: benchmarkNamespace,
    body: { metadata: { name: 'pipeline-database' }, stringData: { url: access.postgresUrlInCluster } },
  })
  await waitForRollouts(kc, OPERATOR_NAMESPACE, ['operator'], 180_000)
  return { rolloutMs: performance.now() - started }
}
