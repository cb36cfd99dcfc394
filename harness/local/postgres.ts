import { EventEmitter, once } from 'node:events'
import { join } from 'node:path'
import { spawnNodeChild } from '../child.ts'
import type { StartedPostgres } from '../environment.ts'
import type { LocalPostgresReady } from './postgres-supervisor.ts'

const SUPERVISOR = join(import.meta.dirname, 'postgres-supervisor.ts')
const START_TIMEOUT_MS = 60_000

export interface LocalPostgres extends StartedPostgres {
  /** Removed when the database stops, also when the process that started it is killed. */
  readonly dataDir: string
  /** Stops the server (a fast shutdown: connections end) and keeps its data, for startServer to resume. */
  stopServer(): Promise<void>
  /** Starts the stopped server again, on the same port and data. */
  startServer(): Promise<void>
}

/**
 * A fresh embedded PostgreSQL on a free port with its own temporary data directory; or, with
 * `keepDataDir`, a persistent one whose data outlives it (created on first use).
 */
export async function startLocalPostgres(options: { keepDataDir?: string } = {}): Promise<LocalPostgres> {
  const startedAt = performance.now()
  const args = options.keepDataDir ? ['--keep-data-dir', options.keepDataDir] : []
  const changed = new EventEmitter()
  const supervisor = spawnNodeChild('embedded PostgreSQL', SUPERVISOR, args, {}, (progress) => changed.emit(String(progress.postgres)))
  /** Signals the supervisor and waits for its answer. */
  const server = async (signal: NodeJS.Signals, answer: string) => {
    const answered = once(changed, answer)
    process.kill(supervisor.pid, signal)
    await answered
  }
  try {
    const ready = await supervisor.waitForReady<LocalPostgresReady>(START_TIMEOUT_MS)
    const stop = () => supervisor.stop({ via: 'stdin', graceMs: 15_000 })
    return {
      ...ready,
      stopServer: () => server('SIGUSR1', 'stopped'),
      startServer: () => server('SIGUSR2', 'started'),
      startMs: performance.now() - startedAt,
      stop,
      [Symbol.asyncDispose]: stop,
    }
  } catch (error) {
    await supervisor.stop({ via: 'stdin' })
    throw error
  }
}
