import { type ContainerRuntimeClient, getContainerRuntimeClient, ImageName } from 'testcontainers'
import { appImages } from './k3s/images.ts'

export interface EngineProbe {
  usable: boolean
  detail: string
  /** Whether the engine already has the PostgreSQL image the docker profile would start. */
  postgresImage?: { name: string; present: boolean }
}

/** Label on every container, and namespace, a run creates: what is left after a crash is findable by it. */
export const RUN_LABEL = 'dev.performance-observatory.run'
/** The PostgreSQL image of the docker profile: scripts/build-offline-images.sh builds it without a registry. */
export const POSTGRES_IMAGE_ENV = 'BENCH_POSTGRES_IMAGE'
export const DEFAULT_POSTGRES_IMAGE = 'performance-observatory/postgres:offline'

export const postgresImage = (env: NodeJS.ProcessEnv = process.env) => env[POSTGRES_IMAGE_ENV] ?? DEFAULT_POSTGRES_IMAGE

/**
 * The engine testcontainers itself finds (DOCKER_HOST, ~/.testcontainers.properties, the default socket),
 * so the probe and the containers a profile starts cannot disagree about which engine there is.
 */
async function engineClient(): Promise<{ client: ContainerRuntimeClient } | { error: string }> {
  try {
    return { client: await getContainerRuntimeClient() }
  } catch (error) {
    return { error: (error as Error).message }
  }
}

/** Whether an engine answers, which one, and whether it has the PostgreSQL image the docker profile would start. */
export async function probeContainerEngine(env: NodeJS.ProcessEnv = process.env): Promise<EngineProbe> {
  const engine = await engineClient()
  if ('error' in engine) return { usable: false, detail: `testcontainers found none: ${engine.error}` }
  const { serverVersion, operatingSystem } = engine.client.info.containerRuntime
  const name = postgresImage(env)
  return {
    usable: true,
    detail: `Docker ${serverVersion} on ${operatingSystem}`,
    postgresImage: { name, present: await engineHasImage(name) },
  }
}

/** An image's size as the engine reports it, in bytes; undefined when it lacks the image or there is no engine. */
export async function imageBytes(name: string): Promise<number | undefined> {
  const engine = await engineClient()
  if ('error' in engine) return undefined
  // One inspect: the engine answers 404 for an image it lacks.
  return engine.client.image.inspect(ImageName.fromString(name)).then(
    (image) => image.Size,
    () => undefined,
  )
}

/** Whether the engine has an image (false when there is no engine). */
export async function engineHasImage(name: string): Promise<boolean> {
  const engine = await engineClient()
  return 'client' in engine && (await engine.client.image.exists(ImageName.fromString(name)))
}

/** Sizes of the app images the engine has (none without an engine). */
export async function appImageSizes(env: NodeJS.ProcessEnv = process.env): Promise<[string, number][]> {
  const sizes: [string, number][] = []
  for (const image of appImages(env)) {
    const bytes = await imageBytes(image)
    if (bytes !== undefined) sizes.push([image, bytes])
  }
  return sizes
}
