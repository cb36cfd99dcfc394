import { CustomObjectsApi, type KubeConfig } from '@kubernetes/client-node'
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
