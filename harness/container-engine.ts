import { request } from 'node:http'
import { appImages } from './k3s/images.ts'

export interface EngineProbe {
  usable: boolean
  detail: string
  /** Whether the engine already has the PostgreSQL image the docker profile would start. */
  postgresImage?: { name: string; present: boolean }
}

const DEFAULT_SOCKET = '/var/run/docker.sock'
/** Label on every container, and namespace, a run creates: what is left after a crash is findable by it. */
export const RUN_LABEL = 'dev.performance-observatory.run'
/** The PostgreSQL image of the docker profile: scripts/build-offline-images.sh builds it without a registry. */
export const POSTGRES_IMAGE_ENV = 'BENCH_POSTGRES_IMAGE'
export const DEFAULT_POSTGRES_IMAGE = 'performance-observatory/postgres:offline'

export const postgresImage = (env: NodeJS.ProcessEnv = process.env) => env[POSTGRES_IMAGE_ENV] ?? DEFAULT_POSTGRES_IMAGE

/**
 * Asks the Docker API (DOCKER_HOST's unix socket, or the default one) for /_ping with a short timeout, and
 * when it answers, whether the PostgreSQL image is there.
 */
export async function probeContainerEngine(env: NodeJS.ProcessEnv = process.env): Promise<EngineProbe> {
  const socketPath = engineSocket(env)
  if (!socketPath) return { usable: false, detail: `DOCKER_HOST=${env.DOCKER_HOST} is not a unix socket; only local engines are probed` }
  const ping = await get(socketPath, '/_ping')
  if (ping.error) return { usable: false, detail: `${socketPath}: ${ping.error}` }
  if (ping.status !== 200) return { usable: false, detail: `Docker API at ${socketPath} answered HTTP ${ping.status}` }
  const name = postgresImage(env)
  return {
    usable: true,
    detail: `Docker API at ${socketPath}`,
    postgresImage: { name, present: (await imageBytes(name, env)) !== undefined },
  }
}

/** DOCKER_HOST's unix socket, or the default one; undefined for an engine that is not local. */
function engineSocket(env: NodeJS.ProcessEnv): string | undefined {
  const host = env.DOCKER_HOST
  if (!host) return DEFAULT_SOCKET
  return host.startsWith('unix://') ? host.slice('unix://'.length) : undefined
}

function get(socketPath: string, path: string): Promise<{ status?: number; body?: string; error?: string }> {
  return new Promise((resolve) => {
    const req = request({ socketPath, path, timeout: 1000 }, (res) => {
      let body = ''
      res.setEncoding('utf8')
      res.on('data', (chunk: string) => {
        body += chunk
      })
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body }))
    })
    req.on('timeout', () => req.destroy(new Error('timed out')))
    req.on('error', (error: NodeJS.ErrnoException) => resolve({ error: error.code ?? error.message }))
    req.end()
  })
}

/** An image's size as the engine reports it, in bytes; undefined when it lacks the image or there is no engine. */
export async function imageBytes(name: string, env: NodeJS.ProcessEnv = process.env): Promise<number | undefined> {
  const socketPath = engineSocket(env)
  if (!socketPath) return undefined
  const image = await get(socketPath, `/images/${encodeURIComponent(name)}/json`)
  return image.status === 200 ? (JSON.parse(image.body ?? '{}') as { Size: number }).Size : undefined
}

/** Whether the engine has an image (false when there is no engine). */
export async function engineHasImage(name: string, env: NodeJS.ProcessEnv = process.env): Promise<boolean> {
  return (await imageBytes(name, env)) !== undefined
}

/** Sizes of the app images the engine has (none without an engine). */
export async function appImageSizes(env: NodeJS.ProcessEnv = process.env): Promise<[string, number][]> {
  const sizes: [string, number][] = []
  for (const image of appImages(env)) {
    const bytes = await imageBytes(image, env)
    if (bytes !== undefined) sizes.push([image, bytes])
  }
  return sizes
}
