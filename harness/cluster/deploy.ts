import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import { setTimeout as sleep } from 'node:timers/promises'
import { AppsV1Api, CoreV1Api, type KubeConfig, type KubernetesObject, KubernetesObjectApi, loadAllYaml } from '@kubernetes/client-node'
import type { Implementation } from '../implementations.ts'
import { processorImage } from '../k3s/images.ts'

const PIPELINE_MANIFESTS = join(import.meta.dirname, '..', '..', 'apps', 'manifests', 'pipeline.yaml')

/**
 * The pipeline's manifests for one namespace, image tag and processor implementation (its image, with the
 * same flags, environment and probes: the contract is the same): pure, so it is unit-tested.
 */
export function pipelineManifests(namespace: string, imageTag: string, implementation: Implementation = 'typescript'): KubernetesObject[] {
  const objects = loadAllYaml(readFileSync(PIPELINE_MANIFESTS, 'utf8')) as KubernetesObject[]
  for (const o of objects) {
    o.metadata = { ...o.metadata, namespace }
    const containers = (o as { spec?: { template?: { spec?: { containers?: { name: string; image?: string }[] } } } }).spec?.template?.spec
      ?.containers
    for (const c of containers ?? []) {
      if (o.kind === 'Deployment' && c.name === 'processor') c.image = processorImage(implementation, {})
      c.image = c.image?.replace(/:[^:/]+$/, `:${imageTag}`)
    }
  }
  return objects
}

/**
 * Deploys the processor and query API into `namespace` with the database URL in a Secret, and waits for
 * both rollouts. Returns the rollout time (pods scheduled, images started, readiness probes passed).
 */
export async function deployPipeline(
  kc: KubeConfig,
  namespace: string,
  options: { databaseUrl: string; imageTag?: string; implementation?: Implementation; timeoutMs?: number },
): Promise<{ rolloutMs: number }> {
  const started = performance.now()
  await kc.makeApiClient(CoreV1Api).createNamespacedSecret({
    namespace,
    body: { metadata: { name: 'pipeline-database' }, stringData: { url: options.databaseUrl } },
  })
  const objects = KubernetesObjectApi.makeApiClient(kc)
  const manifests = pipelineManifests(namespace, options.imageTag ?? 'dev', options.implementation)
  for (const manifest of manifests) await objects.create(manifest)
  const deployments = manifests.filter((m) => m.kind === 'Deployment').map((m) => m.metadata?.name as string)
  await waitForRollouts(kc, namespace, deployments, options.timeoutMs ?? 180_000)
  return { rolloutMs: performance.now() - started }
}

/** kubectl rollout status, for each Deployment: the new ReplicaSet's pods all updated and available, the old ones gone. */
export async function waitForRollouts(kc: KubeConfig, namespace: string, names: string[], timeoutMs: number): Promise<void> {
  const apps = kc.makeApiClient(AppsV1Api)
  const deadline = Date.now() + timeoutMs
  for (const name of names) {
    for (;;) {
      const d = await apps.readNamespacedDeployment({ name, namespace })
      const want = d.spec?.replicas ?? 1
      const s = d.status
      // As kubectl rollout status judges it: every replica updated, no old one left (a rolling update
      // counts the new, not yet ready pod as updated while the old one is still available), all available.
      const done =
        (s?.observedGeneration ?? 0) >= (d.metadata?.generation ?? 1) &&
        s?.updatedReplicas === want &&
        (s?.replicas ?? 0) === want &&
        s?.availableReplicas === want
      if (done) break
      if (Date.now() > deadline) {
        throw new Error(
          `Deployment ${namespace}/${name} did not roll out within ${timeoutMs} ms (${s?.availableReplicas ?? 0}/${want} available); ` +
            `see kubectl -n ${namespace} describe deployment ${name}`,
        )
      }
      await sleep(250)
    }
  }
}
