import { existsSync } from 'node:fs'
import { KubeConfig } from '@kubernetes/client-node'

/**
 * The existing cluster of the `cluster` profile, from KUBECONFIG (a path list, as kubectl reads it). Each
 * way it can be missing gets its own message, because "could not connect" teaches nobody anything.
 */
export function kubeconfigFromEnv(env: NodeJS.ProcessEnv = process.env): KubeConfig {
  const paths = (env.KUBECONFIG ?? '').split(':').filter(Boolean)
  if (paths.length === 0) {
    throw new Error('The cluster profile needs KUBECONFIG: set it to the kubeconfig of the cluster to benchmark in.')
  }
  const missing = paths.filter((p) => !existsSync(p))
  if (missing.length === paths.length) throw new Error(`KUBECONFIG names no file that exists (${missing.join(', ')}).`)
  const kc = new KubeConfig()
  kc.loadFromFile(paths.find((p) => existsSync(p)) as string)
  const context = kc.getCurrentContext()
  if (!context) throw new Error(`The kubeconfig ${paths[0]} has no current-context; set one with kubectl config use-context.`)
  if (!kc.getCurrentCluster()) throw new Error(`The current context '${context}' in ${paths[0]} names no cluster.`)
  return kc
}
