import { clusterProfile } from './cluster/profile.ts'
import { dockerProfile } from './docker/profile.ts'
import type { Profile } from './environment.ts'
import { k3sProfile } from './k3s/profile.ts'
import { kubeProfile } from './kube/profile.ts'
import { kwokProfile } from './kwok/profile.ts'
import { localProfile } from './local/profile.ts'

/** Every environment the suites run in; adding one is a folder with its profile.ts, and a line here. */
export const PROFILES = [localProfile, dockerProfile, kwokProfile, k3sProfile, kubeProfile, clusterProfile] as const

export type ProfileName = (typeof PROFILES)[number]['name']
export const PROFILE_NAMES: readonly ProfileName[] = PROFILES.map((p) => p.name)

/** Where nothing else can run; its baselines sit at the top of baselines/, every other profile's in a folder. */
export const DEFAULT_PROFILE = localProfile
/** Where a container engine with the PostgreSQL image answers and no profile was asked for. */
export const ENGINE_PROFILE = dockerProfile

/** The profile of that name, or an error that lists them. */
export function profileNamed(name: string): Profile {
  const found = PROFILES.find((p) => p.name === name)
  if (!found) throw new Error(`Unknown profile '${name}'; use one of: ${PROFILE_NAMES.join(', ')}.`)
  return found
}
