import type { NodeContainerStart } from '../cluster/container-environment.ts'
import { kubeImage } from './images.ts'
import { KubeNodeContainer } from './node-container.ts'

/** The upstream Kubernetes node in a container on the network, importing the app images before kubelet starts. */
export const startNode: NodeContainerStart = async ({ network, imageTarball, nodePorts, labels }) => {
  const node = await new KubeNodeContainer(kubeImage())
    .withNetwork(network)
    .withImageTarballs([imageTarball])
    .withExposedPorts(...nodePorts)
    .withLabels(labels)
    .start()
  // The version is the API server's own (the results' facts), not written here, so another image cannot make it wrong.
  return { container: node, kubeconfig: node.getKubeConfig(), description: 'upstream Kubernetes node' }
}
