import { execFile } from 'node:child_process'
import { setTimeout as sleep } from 'node:timers/promises'
import { promisify } from 'node:util'
import getPort from 'get-port'
import { RUN_LABEL } from '../container-engine.ts'

const run = promisify(execFile)

/**
 * Time from `docker run` of the processor image (non-root, read-only, no capabilities, as the manifests
 * run it) to its /healthz answering, against `databaseUrl` (host networking, so a URL that works here
 * works there). The container is removed afterwards, also when it never became healthy.
 */
export async function timeProcessorContainerStart(image: string, databaseUrl: string, timeoutMs = 60_000): Promise<number> {
  const port = await getPort()
  const started = performance.now()
  const { stdout } = await run('docker', [
    'run',
    '--detach',
    '--network=host',
    '--read-only',
    '--cap-drop=ALL',
    `--label=${RUN_LABEL}=app-start`,
    image,
    '--host=127.0.0.1',
    `--port=${port}`,
    `--database-url=${databaseUrl}`,
  ])
  const id = stdout.trim()
  try {
    while (performance.now() - started < timeoutMs) {
      const healthy = await fetch(`http://127.0.0.1:${port}/healthz`).then(
        (r) => r.ok,
        () => false,
      )
      if (healthy) return performance.now() - started
      await sleep(20)
    }
    const { stdout: logs } = await run('docker', ['logs', '--tail', '20', id]).catch(() => ({ stdout: '' }))
    throw new Error(`The ${image} container was not healthy within ${timeoutMs} ms. Its last log lines:\n${logs}`)
  } finally {
    await run('docker', ['rm', '--force', id]).catch(() => {})
  }
}
