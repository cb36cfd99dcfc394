import { serverGitVersion } from '../cluster/server-version.ts'
import type { Profile } from '../environment.ts'
import { startLocalPostgres } from '../local/postgres.ts'
import { processEnvironment } from '../process-environment.ts'
import { startKwokCluster } from './cluster.ts'
import { goMissing } from './control-plane.ts'

// Room for the operator suite's 1000 benchmarks (a processor pod each; kwok's nodes take 110 pods).
const NODES = 24

/**
 * A real control plane built from Go modules with simulated nodes (kwok), beside embedded PostgreSQL and
 * the apps as processes: kwok's pods never run, so the suites that need a database run it as local does.
 */
export const kwokProfile = {
  name: 'kwok',
  summary: `a control plane built from Go modules with ${NODES} simulated nodes (kwok); embedded PostgreSQL, apps as processes`,
  pods: 'simulated',
  unavailable: async () => goMissing(),
  async start() {
    const postgres = await startLocalPostgres()
    try {
      const cluster = await startKwokCluster(NODES)
      const kubernetes = await serverGitVersion(cluster.kubeconfig).catch(async (error: Error) => {
        await cluster.stop()
        throw error
      })
      const description = `kwok cluster ${cluster.name}: kube-apiserver, etcd, controller-manager and scheduler built from upstream; ${NODES} simulated nodes`
      return processEnvironment(postgres, { simulatedCluster: { ...cluster, description }, kubernetes })
    } catch (error) {
      await postgres.stop()
      throw error
    }
  },
} as const satisfies Profile
