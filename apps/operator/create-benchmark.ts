import { setTimeout as sleep } from 'node:timers/promises'
import { AppsV1Api, CustomObjectsApi, type KubeConfig } from '@kubernetes/client-node'
import { GROUP, type PipelineBenchmark, type PipelineBenchmarkSpec, PLURAL, VERSION } from './pipeline-benchmark.ts'

/** Creates a PipelineBenchmark as a user would: one 1,000 events/s market source for 5 s unless `spec` says otherwise. */
export async function createBenchmark(
  kc: KubeConfig,
  namespace: string,
  name: string,
  spec: Partial<PipelineBenchmarkSpec> = {},
): Promise<PipelineBenchmark> {
  return (await kc.makeApiClient(CustomObjectsApi).createNamespacedCustomObject({
    group: GROUP,
    version: VERSION,
    plural: PLURAL,
    namespace,
    body: {
      apiVersion: `${GROUP}/${VERSION}`,
      kind: 'PipelineBenchmark',
      metadata: { name, namespace },
      spec: { sources: [{ kind: 'market', rate: 1000 }], processing: { strategy: 'optimized' }, targets: {}, durationSeconds: 5, ...spec },
    },
  })) as PipelineBenchmark
}

/**
 * Polls a benchmark (every 100 ms) until it is Completed or Failed, or `timeoutMs` passes: the last copy
 * read, and when each phase, the first scale-up and its replicas being ready were first seen, in ms after
 * `since` (performance.now()).
 */
export async function waitForBenchmarkEnd(
  kc: KubeConfig,
  namespace: string,
  name: string,
  since: number,
  timeoutMs = 300_000,
): Promise<{ cr?: PipelineBenchmark; reached: Record<string, number> }> {
  const custom = kc.makeApiClient(CustomObjectsApi)
  const apps = kc.makeApiClient(AppsV1Api)
  const reached: Record<string, number> = {}
  const note = (what: string) => {
    reached[what] ??= performance.now() - since
  }
  let cr: PipelineBenchmark | undefined
  while (performance.now() - since < timeoutMs) {
    cr = (await custom.getNamespacedCustomObject({ group: GROUP, version: VERSION, plural: PLURAL, namespace, name })) as PipelineBenchmark
    const phase = cr.status?.phase
    if (phase) note(phase)
    const min = cr.spec.processing.replicas?.min ?? 1
    if ((cr.status?.replicas ?? 0) > min && reached.ScaledUpReady === undefined) {
      note('ScaledUp')
      // The status says the decision at once; the Deployment's ready replicas say when it took effect.
      const processor = await apps.readNamespacedDeployment({ namespace, name: `${name}-processor` })
      if ((processor.status?.readyReplicas ?? 0) > min) note('ScaledUpReady')
    }
    if (phase === 'Completed' || phase === 'Failed') break
    await sleep(100)
  }
  return { cr, reached }
}
