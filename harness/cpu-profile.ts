import { mkdir, mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { dirname, join, relative } from 'node:path'
import CDP from 'chrome-remote-interface'
import type { CpuProfileRecord } from '../model/metric.ts'
import { readRunDescription } from '../reporters/run-description.ts'
import { summarizeCpuProfile, type V8CpuProfile } from './cpu-profile-summary.ts'

// CPU profiles of the apps under load, sampled by V8. A long-lived app (the processor) is profiled over
// exactly the load through its inspector (Chrome DevTools protocol); a process that lives for one load
// (the generator) with node's --cpu-prof, written as it exits.

/** V8's sampling interval (node's default for --cpu-prof). */
const SAMPLING_INTERVAL_US = 1000

/** `BENCH_CPU_PROFILE=off` turns the profiles off (they are on by default; docs/suites.md says what they cost). */
export const cpuProfilesOn = (env: NodeJS.ProcessEnv = process.env) => env.BENCH_CPU_PROFILE !== 'off'

/** Node's flags for an app whose inspector the harness attaches to, on loopback only. */
export const inspectorFlags = (port: number) => [`--inspect=127.0.0.1:${port}`]

/** Starts sampling the process whose inspector listens on `port`; stop() returns the profile. */
export async function startCpuProfile(port: number): Promise<{ stop(): Promise<V8CpuProfile> }> {
  const client = await CDP({ host: '127.0.0.1', port, local: true })
  try {
    await client.Profiler.enable()
    await client.Profiler.setSamplingInterval({ interval: SAMPLING_INTERVAL_US })
    await client.Profiler.start()
  } catch (error) {
    await client.close()
    throw error
  }
  return {
    async stop() {
      try {
        return (await client.Profiler.stop()).profile as V8CpuProfile
      } finally {
        await client.close()
      }
    },
  }
}

/** `BENCH_HEAP_SNAPSHOT=on` adds a heap snapshot of the processor after each profiled pass (tens of MB each). */
export const heapSnapshotsOn = (env: NodeJS.ProcessEnv = process.env) => env.BENCH_HEAP_SNAPSHOT === 'on'

/** A V8 heap snapshot (the .heapsnapshot format Chrome DevTools' Memory panel loads) of the process on `port`. */
export async function takeHeapSnapshot(port: number): Promise<string> {
  const client = await CDP({ host: '127.0.0.1', port, local: true })
  try {
    const chunks: string[] = []
    client.HeapProfiler.on('addHeapSnapshotChunk', ({ chunk }) => chunks.push(chunk))
    await client.HeapProfiler.enable()
    await client.HeapProfiler.takeHeapSnapshot({ reportProgress: false })
    return chunks.join('')
  } finally {
    await client.close()
  }
}

/** A folder for one process's --cpu-prof output, and a reader of the profile it wrote on exit. */
export async function cpuProfFolder(): Promise<{ flags: string[]; read(): Promise<V8CpuProfile | undefined> }> {
  const folder = await mkdtemp(join(tmpdir(), 'observatory-cpu-prof-'))
  return {
    flags: ['--cpu-prof', `--cpu-prof-dir=${folder}`, `--cpu-prof-interval=${SAMPLING_INTERVAL_US}`],
    async read() {
      const file = (await readdir(folder)).find((f) => f.endsWith('.cpuprofile'))
      const profile = file ? (JSON.parse(await readFile(join(folder, file), 'utf8')) as V8CpuProfile) : undefined
      await rm(folder, { recursive: true, force: true })
      return profile
    },
  }
}

/**
 * Where a run's profiles go: beside its results file (results/run-<time>.profiles/), or results/profiles
 * when vitest was started without `pnpm bench`.
 */
export function profilesFolder(): { dir: string; resultsDir: string } {
  const resultsFile = readRunDescription()?.resultsFile
  if (resultsFile) return { dir: resultsFile.replace(/\.json$/, '.profiles'), resultsDir: dirname(resultsFile) }
  const results = join(import.meta.dirname, '..', 'results')
  return { dir: join(results, 'profiles'), resultsDir: results }
}

/** Writes one profile as a .cpuprofile file and returns what the results carry of it. */
export async function saveCpuProfile(
  { profile, heapSnapshot }: { profile: V8CpuProfile; heapSnapshot?: string },
  { suite, test, app }: { suite: string; test: string; app: string },
): Promise<CpuProfileRecord> {
  const { dir, resultsDir } = profilesFolder()
  await mkdir(dir, { recursive: true })
  const name = `${suite}--${test}--${app}`.replace(/[^A-Za-z0-9._-]+/g, '-')
  const file = join(dir, `${name}.cpuprofile`)
  await writeFile(file, JSON.stringify(profile))
  const snapshot = heapSnapshot === undefined ? undefined : join(dir, `${name}.heapsnapshot`)
  if (snapshot) await writeFile(snapshot, heapSnapshot as string)
  return {
    test,
    app,
    file: relative(resultsDir, file),
    ...(snapshot ? { heapSnapshot: relative(resultsDir, snapshot) } : {}),
    ...summarizeCpuProfile(profile),
  }
}
