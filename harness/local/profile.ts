import type { Profile } from '../environment.ts'
import { processEnvironment } from '../process-environment.ts'
import { startLocalPostgres } from './postgres.ts'

/** Embedded PostgreSQL and the apps as processes: runs anywhere Node does, the default without an engine. */
export const localProfile = {
  name: 'local',
  summary: 'embedded PostgreSQL, apps as processes',
  pods: 'none',
  unavailable: async () => '',
  start: async () => processEnvironment(await startLocalPostgres()),
} as const satisfies Profile
