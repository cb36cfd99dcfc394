import { join } from 'node:path'
import { KubeConfig } from '@kubernetes/client-node'
import { spawnNodeChild } from '../child.ts'
import { appImage } from '../k3s/images.ts'
import type { NodeContainerProfile } from './container-environment.ts'
import type { ClusterAccess } from './environment.ts'

const SUPERVISOR = join(import.meta.dirname, 'container-environment-supervisor.ts')
const START_TIMEOUT_MS = 10 * 60_000

/** A node container (k3s or kube) and PostgreSQL on one Docker network, with the app images imported; removed on release. */
export async function startContainerAccess(profile: NodeContainerProfile): Promise<ClusterAccess> {
  const supervisor = spawnNodeChild(`${profile} environment`, SUPERVISOR, [profile], { TESTCONTAINERS_RYUK_DISABLED: 'true' })
  try {
    const ready = await supervisor.waitFor('ready', START_TIMEOUT_MS)
    const release = () => supervisor.stop({ via: 'stdin', graceMs: 60_000 })
    const kc = new KubeConfig()
    kc.loadFromFile(String(ready.kubeconfig))
    // The manifests give processor and api fixed node ports, which the node container publishes.
    const byService: Record<string, string> = { processor: String(ready.processorUrl), api: String(ready.apiUrl) }
    return {
      kc,
      generatorImage: appImage('generator'),
      postgresUrlInCluster: String(ready.postgresUrlInCluster),
      postgres: {
        url: String(ready.postgresUrl),
        version: String(ready.postgresVersion),
        startMs: Number(ready.postgresStartMs),
        stop: async () => {},
        [Symbol.asyncDispose]: async () => {},
      },
      figures: [
        { name: `${ready.nodeDescription} start, to node Ready (with app images imported)`, value: Number(ready.nodeStartMs), unit: 'ms' },
        { name: 'app images tarball', value: Number(ready.appImagesTarballBytes) / 2 ** 20, unit: 'MiB' },
      ],
      reach: async (_namespace, service) => {
        const url = byService[service]
        if (!url) throw new Error(`The ${profile} profile publishes no node port for the Service ${service}.`)
        return { url, close: async () => {} }
      },
      release,
    }
  } catch (error) {
    await supervisor.stop({ via: 'stdin' })
    throw error
  }
}
