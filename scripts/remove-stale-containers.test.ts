import { execFile } from 'node:child_process'
import { join } from 'node:path'
import { promisify } from 'node:util'
import { expect, test } from 'vitest'
import { postgresImage, RUN_LABEL } from '../harness/container-engine.ts'
import { dockerProfile } from '../harness/docker/profile.ts'
import { labelledContainers } from './labelled-containers.ts'

// What a run leaves when the engine stops under it is removed at the engine's next start; a live run's
// containers are not touched. Skipped, with the reason in its name, where no engine or image is available.
const run = promisify(execFile)
const why = await dockerProfile.unavailable()
const SCRIPT = join(import.meta.dirname, 'remove-stale-containers.sh')

test.skipIf(why !== '')(
  `remove-stale-containers.sh removes a stopped run's containers and network, and leaves a running one${why ? ` (skipped: ${why})` : ''}`,
  { timeout: 60_000 },
  async () => {
    const label = `--label=${RUN_LABEL}=stale-test`
    const network = `performance-observatory-stale-test-${process.pid}`
    await run('docker', ['network', 'create', network])
    const { stdout: stopped } = await run('docker', ['run', '-d', label, `--network=${network}`, '--entrypoint=true', postgresImage()])
    await run('docker', ['wait', stopped.trim()])
    const { stdout: running } = await run('docker', ['run', '-d', label, '--entrypoint=sleep', postgresImage(), '60'])
    try {
      expect(await labelledContainers()).toEqual(expect.arrayContaining([stopped.trim(), running.trim()]))
      const { stdout } = await run('bash', [SCRIPT])
      // At least ours: another stopped labelled container may be on the machine; every network emptied counts.
      expect(stdout).toMatch(/removed [1-9]\d* container\(s\) and [1-9]\d* network\(s\)/)
      const left = await labelledContainers()
      expect(left).not.toContain(stopped.trim())
      expect(left).toContain(running.trim())
      await expect(run('docker', ['network', 'inspect', network])).rejects.toThrow()
    } finally {
      await run('docker', ['rm', '-f', running.trim(), stopped.trim()]).catch(() => undefined)
      await run('docker', ['network', 'rm', network]).catch(() => undefined)
    }
  },
)
