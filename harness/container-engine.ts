import { execFile } from 'node:child_process'
import { request } from 'node:http'
import { promisify } from 'node:util'
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
  const host = env.DOCKER_HOST
  if (host && !host.startsWith('unix://')) {
    return { usable: false, detail: `DOCKER_HOST=${host} is not a unix socket; only local engines are probed` }
  }
  const socketPath = host ? host.slice('unix://'.length) : DEFAULT_SOCKET
  const ping = await get(socketPath, '/_ping')
  if (ping.error) return { usable: false, detail: `${socketPath}: ${ping.error}` }
  if (ping.status !== 200) return { usable: false, detail: `Docker API at ${socketPath} answered HTTP ${ping.status}` }
  const name = postgresImage(env)
  const image = await get(socketPath, `/images/${encodeURIComponent(name)}/json`)
  return { usable: true, detail: `Docker API at ${socketPath}`, postgresImage: { name, present: image.status === 200 } }
}

function get(socketPath: string, path: string): Promise<{ status?: number; error?: string }> {
  return new Promise((resolve) => {
    const req = request({ socketPath, path, timeout: 1000 }, (res) => {
      res.resume()
      resolve({ status: res.statusCode ?? 0 })
    })
    req.on('timeout', () => req.destroy(new Error('timed out')))
    req.on('error', (error: NodeJS.ErrnoException) => resolve({ error: error.code ?? error.message }))
    req.end()
  })
}

/** Why the docker profile cannot run here ('' when it can): for tests that skip and say so. */
export async function dockerProfileUnavailable(env: NodeJS.ProcessEnv = process.env): Promise<string> {
  const engine = await probeContainerEngine(env)
  if (!engine.usable) return `no container engine (${engine.detail})`
  return engine.postgresImage?.present ? '' : `no image ${engine.postgresImage?.name}`
}

/** Whether the engine has an image (false when there is no engine). */
export async function engineHasImage(name: string, env: NodeJS.ProcessEnv = process.env): Promise<boolean> {
  const host = env.DOCKER_HOST
  const socketPath = host?.startsWith('unix://') ? host.slice('unix://'.length) : DEFAULT_SOCKET
  return (await get(socketPath, `/images/${encodeURIComponent(name)}/json`)).status === 200
}

/** Sizes of the app images the engine has (none without an engine), from `docker image inspect`. */
export async function appImageSizes(env: NodeJS.ProcessEnv = process.env): Promise<[string, number][]> {
  const sizes: [string, number][] = []
  for (const image of appImages(env)) {
    if (!(await engineHasImage(image, env))) continue
    const { stdout } = await promisify(execFile)('docker', ['image', 'inspect', '-f', '{{.Size}}', image])
    sizes.push([image, Number(stdout.trim())])
  }
  return sizes
}
