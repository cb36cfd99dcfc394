import { existsSync, readdirSync, readFileSync } from 'node:fs'
import { describe, expect, test } from 'vitest'
import { running, startKwokCluster } from './cluster.ts'
import { goMissing } from './control-plane.ts'

// kwokctl starts the control plane as background processes; stopping the cluster must leave none behind.
const why = goMissing()

/** Live processes whose command line mentions `text` (exited ones that init has not reaped are not live). */
function processesMentioning(text: string): string[] {
  return readdirSync('/proc')
    .filter((pid) => /^\d+$/.test(pid))
    .flatMap((pid) => {
      try {
        const cmdline = readFileSync(`/proc/${pid}/cmdline`, 'utf8')
        return cmdline.includes(text) && running(Number(pid)) ? [cmdline.split('\0')[0] as string] : []
      } catch {
        return []
      }
    })
}

describe.skipIf(why !== '')(`kwok cluster lifecycle${why ? ` (skipped: ${why})` : ''}`, () => {
  test('a stopped cluster leaves no process and no work directory', { timeout: 45 * 60_000 }, async () => {
    const cluster = await startKwokCluster(1)
    expect(processesMentioning(cluster.workdir).length).toBeGreaterThanOrEqual(4)
    expect(cluster.startMs).toBeGreaterThan(0)
    await cluster.stop()
    await expect.poll(() => processesMentioning(cluster.workdir), { timeout: 10_000 }).toEqual([])
    expect(existsSync(cluster.workdir)).toBe(false)
  })
})
