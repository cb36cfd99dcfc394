import { join } from 'node:path'
import { nodeContainerProfile } from '../cluster/node-container-profile.ts'
import { k3sImage } from './images.ts'

/** k3s in a container (Testcontainers), where its image can be pulled: GitHub Actions. */
export const k3sProfile = nodeContainerProfile({
  profile: 'k3s',
  summary: 'k3s in a container (Testcontainers): the pipeline runs as pods',
  nodeModule: join(import.meta.dirname, 'node.ts'),
  image: k3sImage,
  howToGet: 'pull rancher/k3s where a registry is reachable (GitHub Actions does)',
})
