// Runs one PostgreSQL container (@testcontainers/postgresql) for a benchmark run, in its own process so
// the container is removed even when the process that asked for it is killed: that process holds our
// stdin, and when it goes, so does the container. Ryuk, Testcontainers' own reaper, is off (it is an
// image that cannot be pulled everywhere), so this is what cleans up. Prints one 'ready' line.
import { randomUUID } from 'node:crypto'
import { PostgreSqlContainer, type StartedPostgreSqlContainer } from '@testcontainers/postgresql'
import { announceReady, onShutdownRequest } from '../../apps/shared/lifecycle.ts'
import { postgresImage, RUN_LABEL } from '../container-engine.ts'
import { serverVersion } from '../sql.ts'

/** This supervisor's 'ready' line, read by ./postgres.ts. */
export interface ContainerPostgresReady {
  url: string
  version: string
  containerId: string
  image: string
  startMs: number
}

const image = postgresImage()
let container: StartedPostgreSqlContainer | undefined
let stopping = false

onShutdownRequest(async () => {
  stopping = true
  await container?.stop({ remove: true, removeVolumes: true, timeout: 5_000 })
})

const started = performance.now()
try {
  container = await new PostgreSqlContainer(image)
    .withDatabase('bench')
    .withUsername('bench')
    .withPassword('bench')
    .withLabels({ [RUN_LABEL]: randomUUID() })
    // Benchmark data is disposable: the same settings as the local profile.
    .withCommand(['-c', 'fsync=off', '-c', 'synchronous_commit=off', '-c', 'full_page_writes=off', '-c', 'max_wal_size=4GB'])
    .withStartupTimeout(120_000)
    .start()
} catch (error) {
  console.error(
    `PostgreSQL container from ${image} did not start: ${(error as Error).message}\n` +
      'Build the offline image with scripts/build-offline-images.sh, or set BENCH_POSTGRES_IMAGE to one this engine has.',
  )
  process.exit(1)
}
if (stopping) process.exit(0)
announceReady<ContainerPostgresReady>({
  url: container.getConnectionUri(),
  version: await serverVersion(container.getConnectionUri()),
  containerId: container.getId(),
  image,
  startMs: performance.now() - started,
})
