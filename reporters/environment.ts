import { cpus, release, totalmem, type } from 'node:os'
import type { RunFacts } from '../model/metric.ts'
import type { Environment } from '../model/results.ts'

/**
 * Where the figures were measured; stored with results and baselines so differences can be explained. The
 * PostgreSQL and Kubernetes versions are the servers' own answers, which the suites' fixtures saw.
 */
export function fingerprint(profile: string, profileReason: string, facts: RunFacts = {}): Environment {
  const cpuList = cpus()
  const { postgres, kubernetes } = facts
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

/**
 * One line per software version that differs from where the baseline was recorded. The hardware, OS and
 * profile make the testbed (reporters/testbed.ts), which the headline and the verdicts speak for.
 */
export function environmentNotes(current: Environment, baseline: Environment, suite: string): string[] {
  const fields = ['node', 'postgres', 'kubernetes'] as const
  return fields
    .filter((f) => (current[f] ?? '—') !== (baseline[f] ?? '—'))
    .map((f) => `${suite}: ${f} is ${current[f] ?? '—'}, the baseline's was ${baseline[f] ?? '—'}`)
}
