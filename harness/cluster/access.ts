import { appImage } from '../k3s/images.ts'
import { serverVersion } from '../sql.ts'
import type { ClusterAccess } from './environment.ts'
import { kubeconfigFromEnv } from './kubeconfig.ts'
import { forwardService } from './port-forward.ts'

export const CLUSTER_DATABASE_ENV = 'BENCH_CLUSTER_DATABASE_URL'

/**
 * An existing cluster (KUBECONFIG) and a PostgreSQL both the pods and this machine reach
 * (BENCH_CLUSTER_DATABASE_URL). Services are reached through port-forwards.
 */
export async function clusterAccess(env: NodeJS.ProcessEnv = process.env): Promise<ClusterAccess> {
  const kc = kubeconfigFromEnv(env)
  const url = env[CLUSTER_DATABASE_ENV]
  if (!url) {
    throw new Error(
      `The cluster profile needs ${CLUSTER_DATABASE_ENV}: a PostgreSQL URL that both the cluster's pods and this machine can reach ` +
        '(the suites read results from it directly).',
    )
  }
  const started = performance.now()
  const version = await serverVersion(url)
  return {
    kc,
    generatorImage: appImage('generator'),
    postgresUrlInCluster: url,
    postgres: {
      url,
      version,
      startMs: performance.now() - started,
      stop: async () => {},
      [Symbol.asyncDispose]: async () => {},
    },
    reach: (namespace, service, port) => forwardService(kc, namespace, service, port),
    release: async () => {},
  }
}
