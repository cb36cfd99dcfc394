import { join } from 'node:path'
import type { NodeContainerKind } from '../cluster/container-access.ts'
import { nodeContainerProfile } from '../cluster/node-container-profile.ts'
import { kubeImage } from './images.ts'

/** The node container: an upstream Kubernetes node built from Go modules (harness/kube/node.ts). */
export const KUBE_NODE = {
  profile: 'kube',
  nodeModule: join(import.meta.dirname, 'node.ts'),
  image: kubeImage,
  howToGet: 'build the kube node with scripts/build-kube-image.sh (from Go modules, minutes the first time)',
} as const satisfies NodeContainerKind

/** An upstream Kubernetes node in one container: pods really run here. */
export const kubeProfile = nodeContainerProfile({
  ...KUBE_NODE,
  summary: 'an upstream Kubernetes node built from Go modules, in a container: the pipeline runs as pods',
})
