import { request } from 'node:http'

export interface EngineProbe {
  usable: boolean
  detail: string
}

const DEFAULT_SOCKET = '/var/run/docker.sock'

/** Asks the Docker API (DOCKER_HOST's unix socket, or the default one) for /_ping, with a short timeout. */
export function probeContainerEngine(env: NodeJS.ProcessEnv = process.env): Promise<EngineProbe> {
  const host = env.DOCKER_HOST
  if (host && !host.startsWith('unix://')) {
    return Promise.resolve({ usable: false, detail: `DOCKER_HOST=${host} is not a unix socket; only local engines are probed` })
  }
  const socketPath = host ? host.slice('unix://'.length) : DEFAULT_SOCKET
  return new Promise((resolve) => {
    const req = request({ socketPath, path: '/_ping', timeout: 1000 }, (res) => {
      res.resume()
      resolve(
        res.statusCode === 200
          ? { usable: true, detail: `Docker API at ${socketPath}` }
          : { usable: false, detail: `Docker API at ${socketPath} answered HTTP ${res.statusCode}` },
      )
    })
    req.on('timeout', () => req.destroy(new Error('timed out')))
    req.on('error', (error: NodeJS.ErrnoException) => resolve({ usable: false, detail: `${socketPath}: ${error.code ?? error.message}` }))
    req.end()
  })
}
