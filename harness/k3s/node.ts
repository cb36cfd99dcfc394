import { K3sContainer } from '@testcontainers/k3s'
import type { NodeContainerStart } from '../cluster/container-environment.ts'
import { imageImportCopy, k3sImage } from './images.ts'

/** k3s in a container on the network, importing the app images at start. */
export const startNode: NodeContainerStart = async ({ network, imageTarball, nodePorts, labels }) => {
  const k3s = await new K3sContainer(k3sImage())
    .withNetwork(network)
    .withCopyFilesToContainer([imageImportCopy(imageTarball)])
    .withExposedPorts(...nodePorts)
    .withLabels(labels)
    .start()
  return { container: k3s, kubeconfig: k3s.getKubeConfig(), description: 'k3s' }
}
