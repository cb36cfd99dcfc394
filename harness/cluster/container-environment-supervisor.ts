// Runs a node-container profile's environment for one suite file (argv[2]: the profile's name, argv[3]: its
// node module, harness/<profile>/node.ts), in its own
// process so that it is removed even when the process that asked for it is killed (it holds our stdin):
// a Docker network, PostgreSQL on it, and the node container on it with the app images imported from a
// tarball (no registry). Prints one 'ready' line.
// Where PostgreSQL runs: a container beside the node, not a pod, so its start is measured the same way
// as the docker profile's and its data never competes with the apps for the node's resources. Pods reach
// it by its IP on the network (pod DNS does not see Docker's network aliases).
import { randomUUID } from 'node:crypto'
import { mkdtempSync, rmSync, statSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { PostgreSqlContainer, type StartedPostgreSqlContainer } from '@testcontainers/postgresql'
import { Network, type StartedNetwork, type StartedTestContainer } from 'testcontainers'
import { announceReady, onShutdownRequest } from '../../apps/shared/lifecycle.ts'
import { postgresImage, RUN_LABEL } from '../container-engine.ts'
import { appImages, saveImages } from '../k3s/images.ts'
import { serverVersion } from '../sql.ts'
import type { NodeContainerModule } from './container-environment.ts'

/** This supervisor's 'ready' line, read by ./container-access.ts. */
export interface ContainerEnvironmentReady {
  kubeconfig: string
  postgresUrl: string
  postgresUrlInCluster: string
  postgresStartMs: number
  postgresVersion: string
  nodeDescription: string
  nodeStartMs: number
  appImagesTarballBytes: number
  processorUrl: string
  apiUrl: string
}

/** The node ports the pipeline's manifests give the processor and the API, which the node container publishes. */
const PROCESSOR_NODE_PORT = 30080
const API_NODE_PORT = 30081
const [profile = 'node-container', nodeModule = ''] = process.argv.slice(2)
const workdir = mkdtempSync(join(tmpdir(), `performance-observatory-${profile}-`))
let network: StartedNetwork | undefined
let postgres: StartedPostgreSqlContainer | undefined
let node: StartedTestContainer | undefined
// On every container, so what a killed run leaves is findable (docker ps --filter label=…).
const labels = { [RUN_LABEL]: randomUUID() }

async function removeAll() {
  await node?.stop({ remove: true, removeVolumes: true, timeout: 10_000 })
  await postgres?.stop({ remove: true, removeVolumes: true, timeout: 5_000 })
  await network?.stop()
  rmSync(workdir, { recursive: true, force: true })
}
onShutdownRequest(removeAll)

try {
  const { startNode } = (await import(nodeModule)) as NodeContainerModule
  network = await new Network().start()
  const pgStarted = performance.now()
  postgres = await new PostgreSqlContainer(postgresImage())
    .withNetwork(network)
    .withDatabase('bench')
    .withUsername('bench')
    .withPassword('bench')
    .withCommand(['-c', 'fsync=off', '-c', 'synchronous_commit=off', '-c', 'full_page_writes=off'])
    .withStartupTimeout(120_000)
    .withLabels(labels)
    .start()
  const postgresStartMs = performance.now() - pgStarted
  const images = appImages()
  const tarball = await saveImages(images, workdir)
  const nodeStarted = performance.now()
  const started = await startNode({
    network,
    imageTarball: tarball,
    nodePorts: [PROCESSOR_NODE_PORT, API_NODE_PORT],
    labels,
  })
  node = started.container
  const nodeStartMs = performance.now() - nodeStarted
  const kubeconfig = join(workdir, 'kubeconfig.yaml')
  writeFileSync(kubeconfig, started.kubeconfig)
  const inCluster = `postgresql://bench:bench@${postgres.getIpAddress(network.getName())}:5432/bench`
  announceReady<ContainerEnvironmentReady>({
    kubeconfig,
    postgresUrl: postgres.getConnectionUri(),
    postgresUrlInCluster: inCluster,
    postgresStartMs,
    postgresVersion: await serverVersion(postgres.getConnectionUri()),
    nodeDescription: started.description,
    nodeStartMs,
    appImagesTarballBytes: statSync(tarball).size,
    processorUrl: `http://${node.getHost()}:${node.getMappedPort(PROCESSOR_NODE_PORT)}`,
    apiUrl: `http://${node.getHost()}:${node.getMappedPort(API_NODE_PORT)}`,
  })
} catch (error) {
  // The starter adds which images it needs and how to get them (./container-access.ts).
  console.error(`The ${profile} environment did not start: ${(error as Error).message}`)
  // What did start is removed: a failed start leaves no container, network or directory behind.
  await removeAll().catch((cleanupError: Error) => console.error(`cleanup: ${cleanupError.message}`))
  process.exit(1)
}
