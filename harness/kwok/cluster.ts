import { spawn } from 'node:child_process'
import { openSync, readFileSync, readlinkSync, writeFileSync } from 'node:fs'
import { connect } from 'node:net'
import { join } from 'node:path'
import { setTimeout as sleep } from 'node:timers/promises'
import { spawnNodeChild } from '../child.ts'
import type { KwokClusterReady } from './cluster-supervisor.ts'

const SUPERVISOR = join(import.meta.dirname, 'cluster-supervisor.ts')
// A cold build of the control plane (Kubernetes from source) takes minutes; a warm start seconds.
const START_TIMEOUT_MS = 45 * 60_000

export interface KwokCluster extends AsyncDisposable {
  readonly name: string
  readonly kubeconfig: string
  /** The kwokctl work directory: component logs and pid files live here. */
  readonly workdir: string
  readonly bin: string
  /** Cluster creation until nodes exist, without the binaries' build. */
  readonly startMs: number
  readonly buildMs: number
  /** Kills the API server and starts it again; the rest of the control plane keeps running. */
  restartApiServer(): Promise<void>
  stop(): Promise<void>
}

/** A kwok cluster with `nodes` simulated nodes, deleted when stopped or when this process dies. */
export async function startKwokCluster(nodes = 3): Promise<KwokCluster> {
  const supervisor = spawnNodeChild('kwok cluster', SUPERVISOR, [String(nodes)])
  try {
    const ready = await supervisor.waitForReady<KwokClusterReady>(START_TIMEOUT_MS)
    const stop = () => supervisor.stop({ via: 'stdin', graceMs: 60_000 })
    const { name, kubeconfig, workdir, bin, startMs, buildMs } = ready
    return {
      name,
      kubeconfig,
      workdir,
      bin,
      startMs,
      buildMs,
      restartApiServer: () => restartApiServer(workdir, name),
      stop,
      [Symbol.asyncDispose]: stop,
    }
  } catch (error) {
    await supervisor.stop({ via: 'stdin' })
    throw error
  }
}

/**
 * Kills kube-apiserver (SIGKILL, as a crash) and starts it again with the same command line:
 * etcd, the scheduler and kwok keep running. Hand-written because kwokctl restarts only whole clusters,
 * and a whole-cluster restart also restarts kwok, which then leaves new pods Pending.
 */
async function restartApiServer(workdir: string, name: string): Promise<void> {
  const pidFile = join(workdir, 'clusters', name, 'pids', 'kube-apiserver.pid')
  const logFile = join(workdir, 'clusters', name, 'logs', 'kube-apiserver.log')
  const pid = Number(readFileSync(pidFile, 'utf8').trim())
  const argv = readFileSync(`/proc/${pid}/cmdline`, 'utf8').split('\0').filter(Boolean)
  const cwd = readlinkSync(`/proc/${pid}/cwd`)
  const port = Number(argv.find((a) => a.startsWith('--secure-port='))?.split('=')[1] ?? 6443)
  process.kill(pid, 'SIGKILL')
  // A multi-threaded process shows as a zombie before its last thread lets go of the port: wait for both.
  while (running(pid) || (await listening(port))) await sleep(50)
  const child = spawn(argv[0] as string, argv.slice(1), {
    cwd,
    detached: true,
    stdio: ['ignore', openSync(logFile, 'a'), openSync(logFile, 'a')],
  })
  child.unref()
  // kwokctl delete reads the pid file: it must name the new process.
  writeFileSync(pidFile, String(child.pid))
  // Back when it listens again; if it dies instead, say why from its log.
  const deadline = Date.now() + 60_000
  while (Date.now() < deadline) {
    if (!running(child.pid as number)) {
      const tail = readFileSync(logFile, 'utf8').split('\n').slice(-15).join('\n')
      throw new Error(`kube-apiserver exited after its restart; the end of ${logFile}:\n${tail}`)
    }
    if (await listening(port)) return
    await sleep(100)
  }
  throw new Error(`kube-apiserver did not listen on ${port} within 60 s of its restart; see ${logFile}`)
}

function listening(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = connect({ port, host: '127.0.0.1' }, () => {
      socket.destroy()
      resolve(true)
    })
    socket.on('error', () => resolve(false))
  })
}

/** Whether a process runs: an exited child of an init that does not reap stays as a zombie ('Z'). */
export function running(pid: number): boolean {
  try {
    return readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]?.[0] !== 'Z'
  } catch {
    return false
  }
}
