import { spawn } from 'node:child_process'
import { once } from 'node:events'
import { existsSync } from 'node:fs'
import { join } from 'node:path'
import { createInterface } from 'node:readline'
import { describe, expect, test, vi } from 'vitest'
import { queryRows } from '../sql.ts'
import { startLocalPostgres } from './postgres.ts'

const isAlive = (pid: number) => {
  try {
    process.kill(pid, 0)
    return true
  } catch {
    return false
  }
}

describe('local PostgreSQL', { timeout: 60_000 }, () => {
  test('starts a real server, answers queries, and leaves nothing behind when stopped', async () => {
    const postgres = await startLocalPostgres()
    const [row] = await queryRows<{ one: number }>(postgres.url, 'SELECT 1 AS one')
    expect(row?.one).toBe(1)
    expect(postgres.version).toMatch(/^\d+\.\d+/)
    expect(existsSync(postgres.dataDir)).toBe(true)
    await postgres.stop()
    expect(existsSync(postgres.dataDir)).toBe(false)
    await expect(queryRows(postgres.url, 'SELECT 1')).rejects.toThrow()
  })

  test('two servers run side by side on different ports', async () => {
    await using a = await startLocalPostgres()
    await using b = await startLocalPostgres()
    expect(a.url).not.toBe(b.url)
    expect(a.dataDir).not.toBe(b.dataDir)
  })

  test('when the process that started it is SIGKILLed, the server stops and its data directory goes', async () => {
    const holder = spawn(process.execPath, [join(import.meta.dirname, 'test-helpers', 'hold-postgres.ts')], {
      stdio: ['ignore', 'pipe', 'inherit'],
    })
    const [line] = (await once(createInterface({ input: holder.stdout }), 'line')) as [string]
    const { dataDir, postmasterPid } = JSON.parse(line) as { dataDir: string; postmasterPid: number }
    expect(isAlive(postmasterPid)).toBe(true)

    holder.kill('SIGKILL')
    await vi.waitFor(
      () => {
        expect(isAlive(postmasterPid)).toBe(false)
        expect(existsSync(dataDir)).toBe(false)
      },
      { timeout: 20_000, interval: 100 },
    )
  })
})
