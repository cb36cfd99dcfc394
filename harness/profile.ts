import { type EngineProbe, probeContainerEngine } from './container-engine.ts'
import { DEFAULT_PROFILE, ENGINE_PROFILE, PROFILE_NAMES, type ProfileName } from './profiles.ts'

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
    if (!(PROFILE_NAMES as readonly string[]).includes(requested)) {
      throw new Error(`Unknown profile '${requested}' (from --profile or ${PROFILE_ENV}); use one of: ${PROFILE_NAMES.join(', ')}.`)
    }
    return { name: requested as ProfileName, reason: `requested with --profile or ${PROFILE_ENV}` }
  }
  const name = DEFAULT_PROFILE.name
  if (!engine.usable) return { name, reason: `no container engine is usable (${engine.detail}), so apps run as processes` }
  const image = engine.postgresImage
  if (image && !image.present) {
    return {
      name,
      reason:
        `a container engine answers (${engine.detail}) but has no ${image.name} image, so apps run as processes; ` +
        `build it with scripts/build-offline-images.sh, or pull one, set BENCH_POSTGRES_IMAGE to it and pass --profile ${ENGINE_PROFILE.name}`,
    }
  }
  return {
    name: ENGINE_PROFILE.name,
    reason: `a container engine answers (${engine.detail}) with ${image?.name ?? 'a PostgreSQL image'}: PostgreSQL runs in a container`,
  }
}

/** The profile for this process: already chosen by `pnpm bench` (env), or chosen now. */
export async function resolveProfile(env: NodeJS.ProcessEnv = process.env): Promise<ProfileChoice> {
  const reason = env[PROFILE_REASON_ENV]
  if (env[PROFILE_ENV] && reason) return { ...chooseProfile(env[PROFILE_ENV], { usable: false, detail: '' }), reason }
  return chooseProfile(env[PROFILE_ENV], await probeContainerEngine(env))
}
