import { KubeConfig } from '@kubernetes/client-node'
import type { NodeContainerStart } from '../cluster/container-environment.ts'
import { kubeImage } from './images.ts'
import { KubeNodeContainer } from './node-container.ts'
import { measurePodStartup } from './pod-startup.ts'

/** Pods started at once to time pod startup: enough for a median and a tail, few enough for 2 cores. */
const STARTUP_PODS = 20

/** The upstream Kubernetes node in a container on the network, importing the app images before kubelet starts. */
export const startKubeNode: NodeContainerStart = async ({ network, imageTarball, podImage, nodePorts, labels }) => {
  const node = await new KubeNodeContainer(kubeImage())
    .withNetwork(network)
    .withImageTarballs([imageTarball])
    .withExposedPorts(...nodePorts)
    .withLabels(labels)
    .start()
  const kc = new KubeConfig()
  kc.loadFromString(node.getKubeConfig())
  const startup = await measurePodStartup(kc, podImage, STARTUP_PODS)
  return {
    container: node,
    kubeconfig: node.getKubeConfig(),
    description: 'upstream Kubernetes v1.34.4 node',
    figures: [
      { name: `pod startup p50 (${STARTUP_PODS} pods at once)`, value: startup.p50Ms, unit: 'ms' },
      { name: `pod startup p99 (${STARTUP_PODS} pods at once)`, value: startup.p99Ms, unit: 'ms' },
    ],
  }
}
