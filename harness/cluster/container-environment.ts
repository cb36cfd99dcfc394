import type { StartedNetwork, StartedTestContainer } from 'testcontainers'

/** Profiles whose cluster is one node container beside a PostgreSQL container (harness/cluster/container-access.ts). */
export const NODE_CONTAINER_PROFILES = ['k3s', 'kube'] as const
export type NodeContainerProfile = (typeof NODE_CONTAINER_PROFILES)[number]

/** Starts a profile's node container on the network with the app images, publishing the node ports. */
export type NodeContainerStart = (options: {
  network: StartedNetwork
  imageTarball: string
  nodePorts: number[]
  labels: Record<string, string>
}) => Promise<{
  container: StartedTestContainer
  /** An admin kubeconfig this host can use. */
  kubeconfig: string
  /** What runs the pods, for the report's figures: "k3s", "upstream Kubernetes node". */
  description: string
}>
