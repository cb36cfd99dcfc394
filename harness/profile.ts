import { type EngineProbe, probeContainerEngine } from './container-engine.ts'

export const PROFILES = ['local', 'docker', 'kwok', 'k3s', 'kube', 'cluster'] as const
export type ProfileName = (typeof PROFILES)[number]

export interface ProfileChoice {
  name: ProfileName
  /** One sentence a user can act on: why this profile, and what would change it. */
  reason: string
}

export const PROFILE_ENV = 'BENCH_PROFILE'
export const PROFILE_REASON_ENV = 'BENCH_PROFILE_REASON'

/** Decides the profile from an explicit request or, failing that, from what this machine can run. */
export function chooseProfile(requested: string | undefined, engine: EngineProbe): ProfileChoice {
  if (requested) {
    if (!(PROFILES as readonly string[]).includes(requested)) {
      throw new Error(`Unknown profile '${requested}' (from --profile or ${PROFILE_ENV}); use one of: ${PROFILES.join(', ')}.`)
    }
    const name = requested as ProfileName
    return { name, reason: `requested with --profile or ${PROFILE_ENV}` }
  }
  if (!engine.usable) return { name: 'local', reason: `no container engine is usable (${engine.detail}), so apps run as processes` }
  const image = engine.postgresImage
  if (image && !image.present) {
    return {
      name: 'local',
      reason:
        `a container engine answers (${engine.detail}) but has no ${image.name} image, so apps run as processes; ` +
        'build it with scripts/build-offline-images.sh, or set BENCH_POSTGRES_IMAGE and pass --profile docker to pull one',
    }
  }
  return {
    name: 'docker',
    reason: `a container engine answers (${engine.detail}) with ${image?.name ?? 'a PostgreSQL image'}: PostgreSQL runs in a container`,
  }
}

/** The profile for this process: already chosen by `pnpm bench` (env), or chosen now. */
export async function resolveProfile(env: NodeJS.ProcessEnv = process.env): Promise<ProfileChoice> {
  const reason = env[PROFILE_REASON_ENV]
  if (env[PROFILE_ENV] && reason) return { ...chooseProfile(env[PROFILE_ENV], { usable: false, detail: '' }), reason }
  return chooseProfile(env[PROFILE_ENV], await probeContainerEngine(env))
}
