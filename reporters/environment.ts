import { cpus, release, totalmem, type } from 'node:os'
import type { Environment } from './types.ts'

/** Where the figures were measured; stored with results and baselines so differences can be explained. */
export function fingerprint(profile: string, profileReason: string): Environment {
  const cpuList = cpus()
  return {
    profile,
    profileReason,
    cpuModel: cpuList[0]?.model.trim() ?? 'unknown',
    cores: cpuList.length,
    memoryBytes: totalmem(),
    os: `${type()} ${release()}`,
    node: process.version,
  }
}
