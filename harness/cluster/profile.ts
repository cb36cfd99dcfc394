import type { Profile } from '../environment.ts'
import { CLUSTER_DATABASE_ENV, clusterAccess } from './access.ts'
import { kubeconfigFromEnv } from './kubeconfig.ts'
import { podEnvironment } from './pod-environment.ts'

/** An existing cluster (KUBECONFIG) and a PostgreSQL both its pods and this machine reach. */
export const clusterProfile = {
  name: 'cluster',
  summary: `an existing cluster (KUBECONFIG) with PostgreSQL at ${CLUSTER_DATABASE_ENV}: the pipeline runs as pods`,
  pods: 'real',
  async unavailable(env = process.env) {
    try {
      kubeconfigFromEnv(env)
    } catch (error) {
      return (error as Error).message
    }
    return env[CLUSTER_DATABASE_ENV]
      ? ''
      : `the cluster profile needs ${CLUSTER_DATABASE_ENV}, a PostgreSQL URL the pods and this machine reach`
  },
  start: async () => podEnvironment('cluster', await clusterAccess()),
} as const satisfies Profile
