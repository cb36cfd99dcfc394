import { setTimeout as sleep } from 'node:timers/promises'
import { BatchV1Api, CoreV1Api, type KubeConfig } from '@kubernetes/client-node'
import { type GeneratorOptions, type GeneratorSummary, generatorArgs } from '../apps.ts'

/**
 * Runs the generator as a Job in the cluster, beside the processor it loads (`target`, an in-cluster
 * URL), and returns the summary it printed: read from its pod's log, where the generator writes its
 * lifecycle lines. The Job is deleted, with its pod, before returning.
 */
export async function runGeneratorJob(
  kc: KubeConfig,
  namespace: string,
  image: string,
  options: GeneratorOptions,
): Promise<GeneratorSummary> {
  const batch = kc.makeApiClient(BatchV1Api)
  const core = kc.makeApiClient(CoreV1Api)
  const name = `load-${options.source}`
    .toLowerCase()
    .replace(/[^a-z0-9-]/g, '-')
    .slice(0, 63)
    .replace(/-+$/, '')
  await batch.createNamespacedJob({
    namespace,
    body: {
      metadata: { name },
      spec: {
        backoffLimit: 0,
        template: {
          metadata: { labels: { 'job-name': name } },
          spec: {
            restartPolicy: 'Never',
            containers: [{ name: 'generator', image, imagePullPolicy: 'IfNotPresent', args: generatorArgs(options) }],
          },
        },
      },
    },
  })
  try {
    // A saturated run drains its backlog after the load, as runGenerator allows for.
    const deadline = Date.now() + options.durationSeconds * 1000 + 300_000
    for (;;) {
      const { status } = await batch.readNamespacedJob({ name, namespace })
      if (status?.succeeded || status?.failed) break
      if (Date.now() > deadline)
        throw new Error(`The generator Job ${namespace}/${name} did not finish in time; see kubectl -n ${namespace} logs job/${name}`)
      await sleep(250)
    }
    const [pod] = (await core.listNamespacedPod({ namespace, labelSelector: `job-name=${name}` })).items
    const log = await core.readNamespacedPodLog({ name: pod?.metadata?.name as string, namespace, container: 'generator' })
    const summary = log
      .split('\n')
      .filter((line) => line.startsWith('{'))
      .map((line) => JSON.parse(line) as { event?: string })
      .find((event) => event.event === 'summary')
    if (!summary) throw new Error(`The generator Job ${namespace}/${name} printed no summary; its log ends:\n${log.slice(-2000)}`)
    return summary as unknown as GeneratorSummary
  } finally {
    await batch.deleteNamespacedJob({ name, namespace, propagationPolicy: 'Background' }).catch(() => {})
  }
}
