import { KubeConfig, VersionApi } from '@kubernetes/client-node'
import { CLUSTER_DATABASE_ENV, clusterAccess } from './cluster/access.ts'
import { startContainerAccess } from './cluster/container-access.ts'
import { type ClusterEnvironment, deployInRunNamespace } from './cluster/environment.ts'
import { kubeconfigFromEnv } from './cluster/kubeconfig.ts'
import { engineHasImage, postgresImage, probeContainerEngine } from './container-engine.ts'
import { appImages, k3sImage } from './k3s/images.ts'
import { kubeImage } from './kube/images.ts'
import { startKwokCluster } from './kwok/cluster.ts'
import { goMissing } from './kwok/control-plane.ts'
import type { ProfileChoice } from './profile.ts'

/** A Kubernetes API server for the operator suites, or why this profile has none. */
export type ClusterForSuite =
  | { kubeconfig: string; startMs: number; description: string; version: string; stop(): Promise<void> }
  | { unavailable: string }

export async function clusterFor(profile: ProfileChoice, nodes: number): Promise<ClusterForSuite> {
  if (profile.name !== 'kwok') {
    return {
      unavailable:
        `the '${profile.name}' profile has no Kubernetes control plane for the operator; ` +
        'run `pnpm bench operator --profile kwok` (builds kube-apiserver, etcd and kwok from Go modules on first use)',
    }
  }
  const why = goMissing()
  if (why) return { unavailable: why }
  const cluster = await startKwokCluster(nodes)
  return {
    kubeconfig: cluster.kubeconfig,
    startMs: cluster.startMs,
    version: await serverGitVersion(cluster.kubeconfig),
    description: `kwok cluster ${cluster.name}: kube-apiserver, etcd, controller-manager, scheduler built from upstream; ${nodes} simulated nodes`,
    stop: () => cluster.stop(),
  }
}

/** The API server's own version (`v1.34.4`), for the results' fingerprint; `kubeconfig` is a file or a loaded config. */
export async function serverGitVersion(kubeconfig: string | KubeConfig): Promise<string> {
  const kc = typeof kubeconfig === 'string' ? new KubeConfig() : kubeconfig
  if (typeof kubeconfig === 'string') kc.loadFromFile(kubeconfig)
  return (await kc.makeApiClient(VersionApi).getCode()).gitVersion
}

/** Profiles whose pipeline runs in a Kubernetes cluster rather than as local processes. */
export const runsInCluster = (profile: ProfileChoice) => profile.name === 'k3s' || profile.name === 'kube' || profile.name === 'cluster'

/** The pipeline deployed for a k3s, kube or cluster profile run, in its own namespace. */
export async function startClusterEnvironment(profile: ProfileChoice): Promise<ClusterEnvironment> {
  const access = profile.name === 'k3s' || profile.name === 'kube' ? await startContainerAccess(profile.name) : await clusterAccess()
  return deployInRunNamespace(access)
}

/** Each node-container profile's node image, and how a machine gets it. */
const NODE_IMAGE = {
  k3s: { image: k3sImage, howToGet: 'pull rancher/k3s where a registry is reachable (GitHub Actions does)' },
  kube: { image: kubeImage, howToGet: 'build the kube node with scripts/build-kube-image.sh (from Go modules, minutes the first time)' },
}

/**
 * Why the k3s, kube or cluster profile cannot run here, or '' when it can: suites skip with this reason in
 * their output and the report rather than fail on an environment that was never there.
 */
export async function clusterProfileUnavailable(profile: ProfileChoice, env: NodeJS.ProcessEnv = process.env): Promise<string> {
  if (profile.name === 'k3s' || profile.name === 'kube') {
    const engine = await probeContainerEngine(env)
    if (!engine.usable) return `the ${profile.name} profile needs a container engine (${engine.detail})`
    // The probe has already asked for the PostgreSQL image.
    const absent = engine.postgresImage?.present ? [] : [postgresImage(env)]
    const { image, howToGet } = NODE_IMAGE[profile.name]
    for (const needed of [image(env), ...appImages(env)]) if (!(await engineHasImage(needed, env))) absent.push(needed)
    if (absent.length > 0) {
      return `the engine lacks ${absent.join(', ')}: ${howToGet}, and build the others with scripts/build-offline-images.sh and scripts/build-app-images.sh`
    }
  }
  if (profile.name === 'cluster') {
    try {
      kubeconfigFromEnv(env)
    } catch (error) {
      return (error as Error).message
    }
    if (!env[CLUSTER_DATABASE_ENV])
      return `the cluster profile needs ${CLUSTER_DATABASE_ENV}, a PostgreSQL URL the pods and this machine reach`
  }
  return ''
}
