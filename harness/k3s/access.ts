import { join } from 'node:path'
import { KubeConfig } from '@kubernetes/client-node'
import { spawnNodeChild } from '../child.ts'
import type { ClusterAccess } from '../cluster/environment.ts'

const SUPERVISOR = join(import.meta.dirname, 'environment-supervisor.ts')
const START_TIMEOUT_MS = 10 * 60_000

/** k3s and PostgreSQL containers on one Docker network, with the app images imported; removed on release. */
export async function startK3sAccess(): Promise<ClusterAccess> {
  const supervisor = spawnNodeChild('k3s environment', SUPERVISOR, [], { TESTCONTAINERS_RYUK_DISABLED: 'true' })
  try {
    const ready = await supervisor.waitFor('ready', START_TIMEOUT_MS)
    const release = () => supervisor.stop({ via: 'stdin', graceMs: 60_000 })
    const kc = new KubeConfig()
    kc.loadFromFile(String(ready.kubeconfig))
    // The manifests give processor and api fixed node ports, which the k3s container publishes.
    const byService: Record<string, string> = { processor: String(ready.processorUrl), api: String(ready.apiUrl) }
    return {
      kc,
      postgresUrlInCluster: String(ready.postgresUrlInCluster),
      postgres: {
        url: String(ready.postgresUrl),
        version: String(ready.postgresVersion),
        startMs: Number(ready.postgresStartMs),
        stop: async () => {},
        [Symbol.asyncDispose]: async () => {},
      },
      figures: [
        { name: 'k3s start (with app images imported)', value: Number(ready.k3sStartMs), unit: 'ms' },
        { name: 'app images tarball', value: Number(ready.appImagesTarballBytes) / 2 ** 20, unit: 'MiB' },
      ],
      reach: async (_namespace, service) => {
        const url = byService[service]
        if (!url) throw new Error(`The k3s profile publishes no node port for the Service ${service}.`)
        return { url, close: async () => {} }
      },
      release,
    }
  } catch (error) {
    await supervisor.stop({ via: 'stdin' })
    throw error
  }
}
