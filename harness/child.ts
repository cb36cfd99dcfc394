import { type ChildProcess, spawn } from 'node:child_process'
import { once } from 'node:events'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { createInterface } from 'node:readline'
import { setTimeout as sleep } from 'node:timers/promises'
import { EXIT_WITH_PARENT_ENV, type LifecycleEvent } from '../apps/shared/lifecycle.ts'

const STDERR_TAIL_BYTES = 4096

export interface NodeChild {
  readonly name: string
  readonly pid: number
  /** Resolves with the first JSON line on stdout whose `event` matches; rejects if the child exits first. */
  waitFor<K extends LifecycleEvent['event']>(event: K, timeoutMs: number): Promise<Extract<LifecycleEvent, { event: K }>>
  /** As waitFor, but the line is used up: the next call waits for the next such line (a child that answers requests). */
  take<K extends LifecycleEvent['event']>(event: K, timeoutMs: number): Promise<Extract<LifecycleEvent, { event: K }>>
  /** Writes one JSON line to the child's stdin. */
  send(message: unknown): void
  /** The fields of the child's 'ready' line (apps/shared/lifecycle.ts announceReady), typed as the child declares them. */
  waitForReady<T extends object>(timeoutMs: number): Promise<T>
  /** The last few KB the child wrote to stderr, for error messages. */
  stderrTail(): string
  /** Asks the child to stop (SIGTERM, or closing its stdin), then kills its process group after `graceMs`. */
  stop(options?: { via?: 'SIGTERM' | 'stdin'; graceMs?: number }): Promise<void>
  [Symbol.asyncDispose](): Promise<void>
}

/**
 * Where node children keep V8's code cache of the modules they compile (NODE_COMPILE_CACHE): the pipeline
 * and patterns suites start a generator for every scenario, and with the cache one starts in 0.18 s of CPU
 * instead of 0.33 s here (`node apps/generator/main.ts --help`). NODE_COMPILE_CACHE or
 * NODE_DISABLE_COMPILE_CACHE=1 in our own environment wins.
 */
export const COMPILE_CACHE_DIR = join(tmpdir(), 'performance-observatory-compile-cache')

/**
 * Starts `node entry args` as a supervised child. It gets its own process group (so a terminal Ctrl-C
 * reaches us, and we stop it in order), EXIT_WITH_PARENT=1 (so it exits by itself if we are killed) and
 * the compile cache.
 */
export function spawnNodeChild(
  name: string,
  entry: string,
  args: string[],
  env: Record<string, string> = {},
  onProgress?: (event: Extract<LifecycleEvent, { event: 'progress' }>) => void,
  nodeFlags: string[] = [],
): NodeChild {
  const cache = { NODE_COMPILE_CACHE: process.env.NODE_COMPILE_CACHE ?? COMPILE_CACHE_DIR }
  return spawnChild(name, process.execPath, [...nodeFlags, entry, ...args], { ...cache, ...env }, onProgress)
}

/** Starts any program that speaks the lifecycle lines (apps/shared/lifecycle.ts) as a supervised child, as spawnNodeChild does. */
export function spawnChild(
  name: string,
  command: string,
  args: string[],
  env: Record<string, string> = {},
  onProgress?: (event: Extract<LifecycleEvent, { event: 'progress' }>) => void,
): NodeChild {
  const child = spawn(command, args, {
    detached: true,
    stdio: ['pipe', 'pipe', 'pipe'],
    env: { ...process.env, ...env, [EXIT_WITH_PARENT_ENV]: '1' },
  })
  if (child.pid === undefined) throw new Error(`Could not start ${name} (${command}).`)
  const pid = child.pid
  const events: LifecycleEvent[] = []
  const waiters = new Set<() => void>()
  let stderr = ''
  let exitCode: number | string | null | undefined

  createInterface({ input: child.stdout }).on('line', (line) => {
    if (!line.startsWith('{')) return
    try {
      const event = JSON.parse(line) as LifecycleEvent
      if (event.event === 'progress') return onProgress?.(event)
      events.push(event)
      for (const wake of waiters) wake()
    } catch {
      // Not one of our lines: apps may log JSON-looking text; only whole JSON objects are events.
    }
  })
  child.stderr.on('data', (chunk: Buffer) => {
    stderr = (stderr + chunk.toString('utf8')).slice(-STDERR_TAIL_BYTES)
  })
  child.stdin.on('error', () => {}) // EPIPE when the child is already gone
  const exited = once(child, 'exit').then(([code, signal]) => {
    exitCode = (code as number | null) ?? (signal as string | null)
    for (const wake of waiters) wake()
  })

  const describe = () => `${name} (pid ${pid})`

  async function next<K extends LifecycleEvent['event']>(event: K, timeoutMs: number, take: boolean) {
    const deadline = Date.now() + timeoutMs
    for (;;) {
      const index = events.findIndex((e) => e.event === event)
      if (index >= 0) {
        const found = events[index] as Extract<LifecycleEvent, { event: K }>
        if (take) events.splice(index, 1)
        return found
      }
      if (exitCode !== undefined) {
        throw new Error(`${describe()} exited (${exitCode}) before '${event}'. Its stderr ends:\n${stderr.trim()}`)
      }
      const left = deadline - Date.now()
      if (left <= 0) throw new Error(`${describe()} did not report '${event}' within ${timeoutMs} ms. stderr:\n${stderr.trim()}`)
      await new Promise<void>((resolve) => {
        const wake = () => {
          waiters.delete(wake)
          clearTimeout(timer)
          resolve()
        }
        const timer = setTimeout(wake, left)
        waiters.add(wake)
      })
    }
  }

  return {
    name,
    pid,
    stderrTail: () => stderr,
    waitFor: (event, timeoutMs) => next(event, timeoutMs, false),
    take: (event, timeoutMs) => next(event, timeoutMs, true),
    send(message) {
      child.stdin.write(`${JSON.stringify(message)}\n`)
    },
    async waitForReady<T extends object>(timeoutMs: number) {
      const { event: _event, ...fields } = await this.waitFor('ready', timeoutMs)
      return fields as T
    },
    async stop({ via = 'SIGTERM', graceMs = 10_000 } = {}) {
      if (exitCode !== undefined) return
      if (via === 'stdin') child.stdin.end()
      else signalGroup(child, 'SIGTERM')
      // An unref'd timer: the child's own handle keeps us alive while it lives, and nothing after it exits.
      const stopped = await Promise.race([exited.then(() => true), sleep(graceMs, undefined, { ref: false }).then(() => false)])
      if (!stopped) {
        signalGroup(child, 'SIGKILL')
        await exited
      }
    },
    async [Symbol.asyncDispose]() {
      await this.stop()
    },
  }
}

function signalGroup(child: ChildProcess, signal: NodeJS.Signals): void {
  try {
    process.kill(-(child.pid as number), signal)
  } catch {
    // Already gone.
  }
}
