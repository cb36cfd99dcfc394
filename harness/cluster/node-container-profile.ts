import { appImageSizes, type EngineProbe, engineHasImage, postgresImage, probeContainerEngine } from '../container-engine.ts'
import type { Profile } from '../environment.ts'
import { appImageFigures } from '../environment-figures.ts'
import { appImages } from '../k3s/images.ts'
import { type NodeContainerKind, startContainerAccess } from './container-access.ts'
import { podEnvironment } from './pod-environment.ts'

/**
 * A profile whose cluster is one node container beside a PostgreSQL container (k3s, kube): it can run
 * where the engine answers and has the node, PostgreSQL and app images.
 */
export function nodeContainerProfile<N extends string>(kind: NodeContainerKind & { profile: N; summary: string }): Profile & { name: N } {
  return {
    name: kind.profile,
    summary: kind.summary,
    pods: 'real',
    async unavailable(env = process.env) {
      const engine = await probeContainerEngine(env)
      if (!engine.usable) return nodeContainerUnavailable(kind, engine, [])
      // The probe has already asked for the PostgreSQL image.
      const absent = engine.postgresImage?.present ? [] : [postgresImage(env)]
      for (const needed of [kind.image(env), ...appImages(env)]) if (!(await engineHasImage(needed))) absent.push(needed)
      return nodeContainerUnavailable(kind, engine, absent)
    },
    start: async () => podEnvironment(kind.profile, await startContainerAccess(kind), async () => appImageFigures(await appImageSizes())),
  }
}

/** Why a node-container profile cannot run with this engine lacking `absent` images, and what to do; '' when it can. */
export function nodeContainerUnavailable(kind: { profile: string; howToGet: string }, engine: EngineProbe, absent: string[]): string {
  if (!engine.usable) return `the ${kind.profile} profile needs a container engine (${engine.detail})`
  if (absent.length === 0) return ''
  return `the engine lacks ${absent.join(', ')}: ${kind.howToGet}, and build the others with scripts/build-offline-images.sh and scripts/build-app-images.sh (the Rust processor's after scripts/build-processor-rs.sh)`
}
