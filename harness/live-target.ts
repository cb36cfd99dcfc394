import { writeFile } from 'node:fs/promises'

/** The file `pnpm bench` names for its live page (apps/api/live-server.ts): the processor to follow. */
export const LIVE_TARGET_ENV = 'BENCH_LIVE_TARGET'

/**
 * Points the live page at a processor a suite just started. Best effort: a page nobody may be watching
 * never fails a benchmark, so a write that fails is only reported.
 */
export async function followLive(processorUrl: string, env: NodeJS.ProcessEnv = process.env): Promise<void> {
  const file = env[LIVE_TARGET_ENV]
  if (!file) return
  await writeFile(file, processorUrl).catch((error: Error) =>
    console.warn(`live page: cannot point it at ${processorUrl}: ${error.message}`),
  )
}
