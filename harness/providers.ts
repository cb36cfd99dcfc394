import { startContainerPostgres } from './docker/postgres.ts'
import type { StartedPostgres } from './environment.ts'
import { startLocalPostgres } from './local/postgres.ts'
import type { ProfileChoice } from './profile.ts'

/** PostgreSQL for the chosen profile. Each profile's provider lives in its own folder. */
export async function startPostgres(profile: ProfileChoice): Promise<StartedPostgres> {
  switch (profile.name) {
    case 'local':
    // kwok's pods are simulated: suites that need a database run it beside the control plane, as local does.
    case 'kwok':
      return startLocalPostgres()
    case 'docker':
      return startContainerPostgres()
    default:
      throw new Error(`No PostgreSQL provider for the '${profile.name}' profile yet.`)
  }
}
