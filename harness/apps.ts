import { join } from 'node:path'
import getPort from 'get-port'
import type { LatencySummary } from '../apps/generator/latency.ts'
import type { LoadShape } from '../apps/generator/rate-pattern.ts'
import { parsePrometheusText } from '../apps/shared/prometheus-text.ts'
import type { RuntimeFigures } from '../apps/shared/runtime-window.ts'
import { type NodeChild, spawnChild, spawnNodeChild } from './child.ts'
import { cpuProfFolder, cpuProfilesOn, inspectorFlags } from './cpu-profile.ts'
import type { V8CpuProfile } from './cpu-profile-summary.ts'
import type { StartedApp } from './environment.ts'
import { type Implementation, implementationUnavailable, RUST_PROCESSOR_BINARY } from './implementations.ts'

export const APPS_DIR = join(import.meta.dirname, '..', 'apps')

/** Where a tree's apps are: this one's by default, or another checkout's (the base side of a paired run). */
export const appsDirOf = (root: string) => join(root, 'apps')
const START_TIMEOUT_MS = 30_000

/**
 * Starts an HTTP app on `port` (default: a free one) and returns once its /healthz answers 200. With CPU
 * profiles on, its inspector listens on a free loopback port, for harness/cpu-profile.ts. `from` starts the
 * TypeScript app of another tree, with `env` over this process's.
 */
export async function startApp(
  name: 'processor' | 'api',
  args: string[],
  port = 0,
  implementation: Implementation = 'typescript',
  from: { appsDir: string; env: Record<string, string> } = { appsDir: APPS_DIR, env: {} },
): Promise<StartedApp> {
  const appArgs = [...args, '--port', String(port)]
  if (implementation === 'rust') {
    const unavailable = implementationUnavailable(implementation)
    if (unavailable) throw new Error(`Cannot start the Rust ${name}: ${unavailable}.`)
    return supervised(name, spawnChild(name, RUST_PROCESSOR_BINARY, appArgs))
  }
  const inspectPort = cpuProfilesOn() ? await getPort({ host: '127.0.0.1' }) : undefined
  const flags = inspectPort === undefined ? [] : inspectorFlags(inspectPort)
  return supervised(name, spawnNodeChild(name, join(from.appsDir, name, 'main.ts'), appArgs, from.env, undefined, flags), inspectPort)
}

/** Waits for a started app's port and readiness; stops it if it never gets there. */
async function supervised(name: string, child: NodeChild, inspectPort?: number): Promise<StartedApp> {
  try {
    const listening = await child.waitFor('listening', START_TIMEOUT_MS)
    const url = `http://127.0.0.1:${listening.port}`
    await waitHealthy(url, START_TIMEOUT_MS)
    const stop = () => child.stop()
    return { name, url, pid: child.pid, ...(inspectPort === undefined ? {} : { inspectPort }), stop, [Symbol.asyncDispose]: stop }
  } catch (error) {
    await child.stop()
    throw error
  }
}

export interface GeneratorOptions {
  target: string
  /** A steady rate, or a load shape (apps/generator/rate-pattern.ts). */
  ratePerSecond: number | LoadShape
  durationSeconds: number
  batchSize: number
  source: string
  seed?: number
  /** Tries per batch before the generator gives up on it (counted as failed); default 8. */
  maxAttempts?: number
  /** More generator flags: event mix, sizes, late events (apps/generator/main.ts --help). */
  extraArgs?: string[]
}

export interface GeneratorSummary {
  source: string
  intendedRate: number
  generated: number
  acked: number
  failed: number
  retries: number
  /** Requests the processor refused with 429 / 503 (their latency is not in ingestLatency). */
  refused: number
  activeMs: number
  achievedRate: number
  /** The worst delay between when a batch was due (full, or its linger over) and when the generator sent it. */
  maxGeneratorLagMs: number
  /** CPU time the generator used over the load (from its first event to its summary), user plus system. */
  cpuMs: number
  /** Events acknowledged in each second of the run. */
  ackedPerSecond: number[]
  ingestLatency: LatencySummary
  endToEndLatency: LatencySummary
  /** The generator's own runtime over the run (absent from a generator image older than it). */
  runtime?: RuntimeFigures
  errors: string[]
}

/** The generator's command line for these options: as a process here, or as a Job's container args. */
export function generatorArgs(options: GeneratorOptions): string[] {
  return [
    `--target=${options.target}`,
    typeof options.ratePerSecond === 'number' ? `--rate=${options.ratePerSecond}` : `--shape=${JSON.stringify(options.ratePerSecond)}`,
    `--duration-s=${options.durationSeconds}`,
    `--batch-size=${options.batchSize}`,
    `--source=${options.source}`,
    `--seed=${options.seed ?? 1}`,
    `--max-attempts=${options.maxAttempts ?? 8}`,
    ...(options.extraArgs ?? []),
  ]
}

export const generatorEntry = (appsDir: string) => join(appsDir, 'generator', 'main.ts')

/** A saturated run drains its backlog after the load: 60 s here, over 120 s under a CPU quota of 0.6 cores. */
export const loadTimeoutMs = (durationSeconds: number) => durationSeconds * 1000 + 300_000

/** Long runs should not be silent: where the load is, and what is acknowledged right now. */
export const loadProgress: Parameters<typeof spawnNodeChild>[4] = (p) => {
  process.stderr.write(`  load ${p.source ?? 'generator'}: ${p.elapsedS} s of ${p.durationS}, ${p.ackedLastSecond} events/s acknowledged\n`)
}

/**
 * Runs the generator to completion as its own process and returns its summary, with its CPU profile over
 * its whole life when `cpuProfile` is asked (and profiles are on).
 */
export async function runGenerator(
  options: GeneratorOptions & { cpuProfile?: boolean; appsDir?: string },
): Promise<GeneratorSummary & { cpuProfile?: V8CpuProfile }> {
  const { cpuProfile, appsDir = APPS_DIR, ...generator } = options
  const prof = cpuProfile && cpuProfilesOn() ? await cpuProfFolder() : undefined
  const child = spawnNodeChild('generator', generatorEntry(appsDir), generatorArgs(generator), {}, loadProgress, prof?.flags)
  let summary: GeneratorSummary
  try {
    summary = (await child.waitFor('summary', loadTimeoutMs(options.durationSeconds))) as unknown as GeneratorSummary
  } finally {
    await child.stop()
  }
  const profile = await prof?.read()
  return profile ? { ...summary, cpuProfile: profile } : summary
}

/** Polls /healthz; the app printed its port already, so this waits for its own readiness (migrations done). */
export async function waitHealthy(url: string, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs
  let last = 'no answer'
  while (Date.now() < deadline) {
    try {
      const response = await fetch(`${url}/healthz`)
      if (response.ok) return
      last = `HTTP ${response.status}`
    } catch (error) {
      last = String(error)
    }
    await new Promise((resolve) => setTimeout(resolve, 50))
  }
  throw new Error(`${url}/healthz did not answer 200 within ${timeoutMs} ms (last: ${last}).`)
}

/** Reads one unlabelled sample of an app's /metrics, through the one exposition parser (apps/shared/prometheus-text.ts). */
export async function readPrometheusGauge(url: string, name: string): Promise<number> {
  const value = parsePrometheusText(await (await fetch(`${url}/metrics`)).text()).get(name)
  if (value === undefined || !Number.isFinite(value)) throw new Error(`${url}/metrics has no sample of ${name}.`)
  return value
}
