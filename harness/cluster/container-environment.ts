import type { StartedNetwork, StartedTestContainer } from 'testcontainers'

/**
 * A node container's module (harness/k3s/node.ts, harness/kube/node.ts): the environment supervisor
 * imports it by path and calls its `startNode`, so adding a node kind adds no branch there.
 */
export interface NodeContainerModule {
  startNode: NodeContainerStart
}

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
