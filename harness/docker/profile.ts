import { appImageSizes, type EngineProbe, probeContainerEngine } from '../container-engine.ts'
import type { EnvironmentFigure, Profile } from '../environment.ts'
import { appImageFigures } from '../environment-figures.ts'
import { appImage } from '../k3s/images.ts'
import { processEnvironment } from '../process-environment.ts'
import { timeProcessorContainerStart } from './app-container.ts'
import { startContainerPostgres } from './postgres.ts'

/** PostgreSQL in a container through Testcontainers, the apps as processes. */
export const dockerProfile = {
  name: 'docker',
  summary: 'PostgreSQL in a container (Testcontainers), apps as processes',
  pods: 'none',
  unavailable: async (env = process.env) => dockerUnavailable(await probeContainerEngine(env)),
  async start() {
    const postgres = await startContainerPostgres()
    return processEnvironment(postgres, {
      // The app images the engine has, and how long the processor's takes from `docker run` to healthy.
      figures: async () => {
        const sizes = await appImageSizes()
        const images = appImageFigures(sizes)
        const processorImage = appImage('processor')
        if (!sizes.some(([image]) => image === processorImage)) return images
        const startMs = await timeProcessorContainerStart(processorImage, postgres.url)
        return [...images, { name: 'processor container start (to healthy)', value: startMs, unit: 'ms' } satisfies EnvironmentFigure]
      },
    })
  },
} as const satisfies Profile

/** Why the docker profile cannot run with this engine, and what to do; '' when it can. */
export function dockerUnavailable(engine: EngineProbe): string {
  if (!engine.usable) return `no container engine (${engine.detail}): start one (scripts/start-docker.sh), or run --profile local`
  const image = engine.postgresImage
  if (image?.present) return ''
  return `no image ${image?.name}: build it with scripts/build-offline-images.sh, or set BENCH_POSTGRES_IMAGE to one the engine has`
}
