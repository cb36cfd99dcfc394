import { execFile, spawn } from 'node:child_process'
import { once } from 'node:events'
import { join } from 'node:path'
import { createInterface } from 'node:readline'
import { promisify } from 'node:util'
import { describe, expect, test, vi } from 'vitest'
import { queryRows } from '../sql.ts'
import { startContainerPostgres } from './postgres.ts'
import { dockerProfile } from './profile.ts'

// The docker profile's PostgreSQL: a real container from the offline-built image (scripts/build-offline-
// images.sh; .ci/run starts dockerd and builds it). Without an engine or the image these tests are skipped,
// and their names say why.
const why = await dockerProfile.unavailable()
const run = promisify(execFile)
const containerExists = async (id: string) =>
  (await run('docker', ['ps', '-aq', '--no-trunc', '--filter', `id=${id}`])).stdout.trim() !== ''

describe.skipIf(why !== '')(`PostgreSQL container${why ? ` (skipped: ${why})` : ''}`, { timeout: 180_000 }, () => {
  test('starts from the image, answers queries, reports its start time and image size, and is removed when stopped', async () => {
    const postgres = await startContainerPostgres()
    const [row] = await queryRows<{ one: number }>(postgres.url, 'SELECT 1 AS one')
    expect(row?.one).toBe(1)
    expect(postgres.version).toMatch(/^\d+\.\d+/)
    expect(postgres.startMs).toBeGreaterThan(0)
    expect(postgres.imageBytes).toBeGreaterThan(10 * 2 ** 20)
    expect(await containerExists(postgres.containerId)).toBe(true)
    await postgres.stop()
    expect(await containerExists(postgres.containerId)).toBe(false)
  })

  test('when the process that started it is SIGKILLed, the container is removed', async () => {
    const holder = spawn(process.execPath, [join(import.meta.dirname, 'test-helpers', 'hold-container-postgres.ts')], {
      stdio: ['ignore', 'pipe', 'inherit'],
    })
    const first = once(createInterface({ input: holder.stdout }), 'line') as Promise<[string]>
    const died = once(holder, 'exit').then(([code]) => {
      throw new Error(`the helper exited (${code}) before starting PostgreSQL`)
    })
    const [line] = await Promise.race([first, died])
    const { containerId } = JSON.parse(line) as { containerId: string }
    expect(await containerExists(containerId)).toBe(true)
    holder.kill('SIGKILL')
    await vi.waitFor(async () => expect(await containerExists(containerId)).toBe(false), { timeout: 30_000, interval: 250 })
  })
})
