import { join } from 'node:path'
import { spawnNodeChild } from '../child.ts'
import { imageBytes } from '../container-engine.ts'
import type { StartedPostgres } from '../environment.ts'
import type { ContainerPostgresReady } from './postgres-container-supervisor.ts'

const SUPERVISOR = join(import.meta.dirname, 'postgres-container-supervisor.ts')
const START_TIMEOUT_MS = 180_000

export interface ContainerPostgres extends StartedPostgres {
  readonly containerId: string
  readonly image: string
  /** The image's size as the engine reports it. */
  readonly imageBytes: number
}

/** A PostgreSQL container via Testcontainers, removed when stopped or when this process dies. */
export async function startContainerPostgres(): Promise<ContainerPostgres> {
  // Ryuk is an image to pull; the supervisor removes the container instead.
  const supervisor = spawnNodeChild('PostgreSQL container', SUPERVISOR, [], { TESTCONTAINERS_RYUK_DISABLED: 'true' })
  try {
    const ready = await supervisor.waitForReady<ContainerPostgresReady>(START_TIMEOUT_MS)
    const stop = () => supervisor.stop({ via: 'stdin', graceMs: 20_000 })
    return {
      ...ready,
      imageBytes: await sizeOf(ready.image),
      stop,
      [Symbol.asyncDispose]: stop,
    }
  } catch (error) {
    await supervisor.stop({ via: 'stdin' })
    throw error
  }
}

async function sizeOf(image: string): Promise<number> {
  const bytes = await imageBytes(image)
  if (bytes === undefined) throw new Error(`The engine does not report the image ${image} that the container was started from.`)
  return bytes
}
