import { join } from 'node:path'
import { spawnNodeChild } from '../child.ts'
import type { StartedPostgres } from '../environment.ts'
import type { LocalPostgresReady } from './postgres-supervisor.ts'

const SUPERVISOR = join(import.meta.dirname, 'postgres-supervisor.ts')
const START_TIMEOUT_MS = 60_000

export interface LocalPostgres extends StartedPostgres {
  /** Removed when the database stops, also when the process that started it is killed. */
  readonly dataDir: string
}

/**
 * A fresh embedded PostgreSQL on a free port with its own temporary data directory; or, with
 * `keepDataDir`, a persistent one whose data outlives it (created on first use).
 */
export async function startLocalPostgres(options: { keepDataDir?: string } = {}): Promise<LocalPostgres> {
  const startedAt = performance.now()
  const args = options.keepDataDir ? ['--keep-data-dir', options.keepDataDir] : []
  const supervisor = spawnNodeChild('embedded PostgreSQL', SUPERVISOR, args)
  try {
    const ready = await supervisor.waitForReady<LocalPostgresReady>(START_TIMEOUT_MS)
    const stop = () => supervisor.stop({ via: 'stdin', graceMs: 15_000 })
    return {
      ...ready,
      startMs: performance.now() - startedAt,
      stop,
      [Symbol.asyncDispose]: stop,
    }
  } catch (error) {
    await supervisor.stop({ via: 'stdin' })
    throw error
  }
}
