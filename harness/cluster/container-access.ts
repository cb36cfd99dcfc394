import { join } from 'node:path'
import { KubeConfig } from '@kubernetes/client-node'
import { spawnNodeChild } from '../child.ts'
import { postgresImage } from '../container-engine.ts'
import { appImage } from '../k3s/images.ts'
import type { ContainerEnvironmentReady } from './container-environment-supervisor.ts'
import type { ClusterAccess } from './environment.ts'

const SUPERVISOR = join(import.meta.dirname, 'container-environment-supervisor.ts')
const START_TIMEOUT_MS = 10 * 60_000

/** A node container kind: the profile it is, the module that starts it, and its image. */
export interface NodeContainerKind {
  profile: string
  /** A module exporting `startNode` (harness/cluster/container-environment.ts NodeContainerModule). */
  nodeModule: string
  image(env?: NodeJS.ProcessEnv): string
  /** How a machine gets the node image, for the messages that name it. */
  howToGet: string
}

/** A node container and PostgreSQL on one Docker network, with the app images imported; removed on release. */
export async function startContainerAccess(kind: NodeContainerKind): Promise<ClusterAccess> {
  const supervisor = spawnNodeChild(`${kind.profile} environment`, SUPERVISOR, [kind.profile, kind.nodeModule], {
    TESTCONTAINERS_RYUK_DISABLED: 'true',
  })
  try {
    const ready = await supervisor.waitForReady<ContainerEnvironmentReady>(START_TIMEOUT_MS)
    const release = () => supervisor.stop({ via: 'stdin', graceMs: 60_000 })
    const kc = new KubeConfig()
    kc.loadFromFile(ready.kubeconfig)
    // The manifests give processor and api fixed node ports, which the node container publishes.
    const byService: Record<string, string> = { processor: ready.processorUrl, api: ready.apiUrl }
    return {
      kc,
      generatorImage: appImage('generator'),
      postgresUrlInCluster: ready.postgresUrlInCluster,
      postgres: {
        url: ready.postgresUrl,
        version: ready.postgresVersion,
        startMs: ready.postgresStartMs,
        stop: async () => {},
        [Symbol.asyncDispose]: async () => {},
      },
      figures: [
        { name: `${ready.nodeDescription} start, to node Ready (with app images imported)`, value: ready.nodeStartMs, unit: 'ms' },
        { name: 'app images tarball', value: ready.appImagesTarballBytes / 2 ** 20, unit: 'MiB' },
      ],
      reach: async (_namespace, service) => {
        const url = byService[service]
        if (!url) throw new Error(`The ${kind.profile} profile publishes no node port for the Service ${service}.`)
        return { url, close: async () => {} }
      },
      release,
    }
  } catch (error) {
    await supervisor.stop({ via: 'stdin' })
    throw new Error(
      `${(error as Error).message}\nIt needs the node image ${kind.image()} (${kind.howToGet}), ${postgresImage()} (BENCH_POSTGRES_IMAGE) ` +
        'in the engine or pullable, and the app images from scripts/build-app-images.sh.',
      { cause: error },
    )
  }
}
