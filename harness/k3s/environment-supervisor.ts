// Runs the k3s profile's environment for one suite file, in its own process so that it is removed even
// when the process that asked for it is killed (it holds our stdin): a Docker network, PostgreSQL on it,
// and k3s on it with the app images imported from a tarball (no registry). Prints one 'ready' line.
// Where PostgreSQL runs: a container beside k3s, not a pod, so its start is measured the same way as the
// docker profile's and its data never competes with the apps for the k3s node's resources. Pods reach it
// by its IP on the network (pod DNS does not see Docker's network aliases).
import { mkdtempSync, rmSync, statSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { K3sContainer, type StartedK3sContainer } from '@testcontainers/k3s'
import { PostgreSqlContainer, type StartedPostgreSqlContainer } from '@testcontainers/postgresql'
import { Network, type StartedNetwork } from 'testcontainers'
import { announce, onShutdownRequest } from '../../apps/shared/lifecycle.ts'
import { postgresImage } from '../container-engine.ts'
import { serverVersion } from '../sql.ts'
import { appImages, imageImportCopy, k3sImage, saveImages } from './images.ts'

const PROCESSOR_NODE_PORT = 30080
const API_NODE_PORT = 30081
const workdir = mkdtempSync(join(tmpdir(), 'performance-observatory-k3s-'))
let network: StartedNetwork | undefined
let postgres: StartedPostgreSqlContainer | undefined
let k3s: StartedK3sContainer | undefined

onShutdownRequest(async () => {
  await k3s?.stop({ remove: true, removeVolumes: true, timeout: 10_000 })
  await postgres?.stop({ remove: true, removeVolumes: true, timeout: 5_000 })
  await network?.stop()
  rmSync(workdir, { recursive: true, force: true })
})

try {
  network = await new Network().start()
  const pgStarted = performance.now()
  postgres = await new PostgreSqlContainer(postgresImage())
    .withNetwork(network)
    .withDatabase('bench')
    .withUsername('bench')
    .withPassword('bench')
    .withCommand(['-c', 'fsync=off', '-c', 'synchronous_commit=off', '-c', 'full_page_writes=off'])
    .withStartupTimeout(120_000)
    .start()
  const postgresStartMs = performance.now() - pgStarted
  const tarball = await saveImages(appImages(), workdir)
  const k3sStarted = performance.now()
  k3s = await new K3sContainer(k3sImage())
    .withNetwork(network)
    .withCopyFilesToContainer([imageImportCopy(tarball)])
    .withExposedPorts(PROCESSOR_NODE_PORT, API_NODE_PORT)
    .start()
  const k3sStartMs = performance.now() - k3sStarted
  const kubeconfig = join(workdir, 'kubeconfig.yaml')
  writeFileSync(kubeconfig, k3s.getKubeConfig())
  const inCluster = `postgresql://bench:bench@${postgres.getIpAddress(network.getName())}:5432/bench`
  announce({
    event: 'ready',
    kubeconfig,
    postgresUrl: postgres.getConnectionUri(),
    postgresUrlInCluster: inCluster,
    postgresStartMs,
    postgresVersion: await serverVersion(postgres.getConnectionUri()),
    k3sStartMs,
    appImagesTarballBytes: statSync(tarball).size,
    processorUrl: `http://${k3s.getHost()}:${k3s.getMappedPort(PROCESSOR_NODE_PORT)}`,
    apiUrl: `http://${k3s.getHost()}:${k3s.getMappedPort(API_NODE_PORT)}`,
  })
} catch (error) {
  console.error(
    `The k3s environment did not start: ${(error as Error).message}\n` +
      `It needs ${k3sImage()} (BENCH_K3S_IMAGE) and ${postgresImage()} (BENCH_POSTGRES_IMAGE) in the engine or pullable, ` +
      'and the app images from scripts/build-app-images.sh.',
  )
  process.exit(1)
}
