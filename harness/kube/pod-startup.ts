import { setTimeout as sleep } from 'node:timers/promises'
import { CoreV1Api, type KubeConfig } from '@kubernetes/client-node'
import { quantileSorted } from 'simple-statistics'

const NAMESPACE = 'default'
const POLL_MS = 50

/**
 * Pod startup on the node: `pods` pods of `image` created at once, each timed from its create call's
 * answer to the first poll that sees its container running (so within POLL_MS; the API's timestamps are
 * whole seconds). The pods are deleted, and gone, before returning.
 */
export async function measurePodStartup(
  kc: KubeConfig,
  image: string,
  pods: number,
  timeoutMs = 120_000,
): Promise<{ p50Ms: number; p99Ms: number }> {
  const core = kc.makeApiClient(CoreV1Api)
  const names = Array.from({ length: pods }, (_, i) => `pod-startup-${i}`)
  const created = new Map<string, number>()
  try {
    await Promise.all(
      names.map(async (name) => {
        await core.createNamespacedPod({
          namespace: NAMESPACE,
          body: {
            metadata: { name, labels: { app: 'pod-startup' } },
            spec: {
              containers: [{ name: 'idle', image, imagePullPolicy: 'Never', command: ['node', '-e', 'setInterval(() => {}, 1 << 30)'] }],
              terminationGracePeriodSeconds: 0,
            },
          },
        })
        created.set(name, performance.now())
      }),
    )
    const startupMs: number[] = []
    const deadline = Date.now() + timeoutMs
    while (created.size > 0) {
      const list = await core.listNamespacedPod({ namespace: NAMESPACE, labelSelector: 'app=pod-startup' })
      for (const pod of list.items) {
        const name = pod.metadata?.name as string
        const since = created.get(name)
        if (since !== undefined && pod.status?.containerStatuses?.[0]?.state?.running) {
          startupMs.push(performance.now() - since)
          created.delete(name)
        }
      }
      if (Date.now() > deadline) throw new Error(`${created.size} of ${pods} pods did not start within ${timeoutMs} ms on the kube node`)
      await sleep(POLL_MS)
    }
    startupMs.sort((a, b) => a - b)
    return { p50Ms: quantileSorted(startupMs, 0.5), p99Ms: quantileSorted(startupMs, 0.99) }
  } finally {
    await core.deleteCollectionNamespacedPod({ namespace: NAMESPACE, labelSelector: 'app=pod-startup', gracePeriodSeconds: 0 })
    // Gone, not only asked to go: tearing down 20 pods (containers, sandboxes, networks) competes with
    // whatever the node is asked to start next.
    const deadline = Date.now() + timeoutMs
    while ((await core.listNamespacedPod({ namespace: NAMESPACE, labelSelector: 'app=pod-startup' })).items.length > 0) {
      // Said, not thrown: a throw here would hide the measurement's own error.
      if (Date.now() > deadline) {
        console.error(`pod startup: the ${pods} pods were not gone within ${timeoutMs} ms of their delete`)
        break
      }
      await sleep(200)
    }
  }
}
