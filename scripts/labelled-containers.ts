import { execFile } from 'node:child_process'
import { promisify } from 'node:util'
import { RUN_LABEL } from '../harness/container-engine.ts'

/** For end-to-end tests: the ids of the engine's containers, running or not, that carry a run's label. */
export async function labelledContainers(): Promise<string[]> {
  const { stdout } = await promisify(execFile)('docker', ['ps', '-aq', '--no-trunc', '--filter', `label=${RUN_LABEL}`])
  return stdout.split('\n').filter(Boolean)
}

/**
 * Runs `body` and returns the labelled containers that it left: those there afterwards and not before, so
 * that what an earlier, interrupted run left (scripts/remove-stale-containers.sh) is not blamed on this one.
 */
export async function containersLeftBy<T>(body: () => Promise<T>): Promise<{ value: T; left: string[] }> {
  const before = new Set(await labelledContainers())
  const value = await body()
  return { value, left: (await labelledContainers()).filter((id) => !before.has(id)) }
}
