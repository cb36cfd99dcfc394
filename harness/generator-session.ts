import { spawnSync } from 'node:child_process'
import {
  APPS_DIR,
  type GeneratorOptions,
  type GeneratorSummary,
  generatorArgs,
  generatorEntry,
  loadProgress,
  loadTimeoutMs,
  runGenerator,
} from './apps.ts'
import { spawnNodeChild } from './child.ts'
import type { StartedApp } from './environment.ts'

/**
 * One generator process for many loads, one after another (`generator --serve`): a rate search offers 13
 * to 19 steps of 3 s, and a fresh process for each spent part of every step starting Node and compiling
 * the hot paths. Measured at 100k events/s, 3-s loads against a server that answers after 5 ms: 0.31-0.32
 * CPU s per 100k events for a fresh process, 0.19-0.26 for the second to fourth loads of one process.
 */
export interface GeneratorSession {
  /** One load at a time: the process serves them in order. */
  run(options: Omit<GeneratorOptions, 'target'>): Promise<GeneratorSummary>
  /** The generator's process, once the first load started it. */
  readonly pid: number | undefined
  stop(): Promise<void>
}

/** A session of the generator of `appsDir`'s tree aimed at `target`; its process starts with the first load. */
export function generatorSession(target: string, appsDir = APPS_DIR): GeneratorSession {
  let child: ReturnType<typeof spawnNodeChild> | undefined
  let busy = false
  return {
    get pid() {
      return child?.pid
    },
    async run(options) {
      if (busy) throw new Error('A generator session runs one load at a time; wait for the one under way.')
      busy = true
      try {
        child ??= spawnNodeChild('generator', generatorEntry(appsDir), ['--serve'], {}, loadProgress)
        child.send(generatorArgs({ target, ...options }))
        return (await child.take('summary', loadTimeoutMs(options.durationSeconds))) as unknown as GeneratorSummary
      } finally {
        busy = false
      }
    },
    async stop() {
      await child?.stop({ via: 'stdin' })
    },
  }
}

/** Whether a tree's generator serves loads from stdin: a base tree older than --serve does not. */
export function servesLoads(appsDir = APPS_DIR): boolean {
  const help = spawnSync(process.execPath, [generatorEntry(appsDir), '--help'], { encoding: 'utf8', timeout: 30_000 })
  return help.status === 0 && help.stdout.includes('--serve')
}

/**
 * This processor with its loads driven by one generator session of `appsDir`'s tree (or, not `warm`, by a
 * generator process for each load), and how to stop it. A processor in a pod keeps its own runLoad: the
 * cluster's generator Jobs drive it.
 */
export function withGenerator(
  processor: StartedApp,
  { appsDir = APPS_DIR, warm = true }: { appsDir?: string; warm?: boolean } = {},
): { processor: StartedApp; stop(): Promise<void> } {
  if (processor.runLoad) return { processor, stop: async () => {} }
  if (!warm)
    return {
      processor: { ...processor, runLoad: (load) => runGenerator({ target: processor.url, ...load, appsDir }) },
      stop: async () => {},
    }
  const session = generatorSession(processor.url, appsDir)
  return { processor: { ...processor, runLoad: session.run }, stop: session.stop }
}
