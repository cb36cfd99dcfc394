import { spawn } from 'node:child_process'
import { once } from 'node:events'
import { existsSync, readdirSync, readFileSync } from 'node:fs'
import { dirname, join } from 'node:path'
import { expect, test, vi } from 'vitest'

// Ctrl-C in the middle of a pipeline load: the terminal sends SIGINT to the whole foreground process group.
// Afterwards nothing `pnpm bench` started may still run, and PostgreSQL's data directory and the live page's
// folder must be gone.
const BENCH = join(import.meta.dirname, 'bench.ts')

interface Proc {
  pid: number
  ppid: number
  cmdline: string
}

function processes(): Proc[] {
  return readdirSync('/proc')
    .filter((d) => /^\d+$/.test(d))
    .flatMap((d) => {
      try {
        const stat = readFileSync(`/proc/${d}/stat`, 'utf8')
        const ppid = Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1])
        return [{ pid: Number(d), ppid, cmdline: readFileSync(`/proc/${d}/cmdline`, 'utf8').replaceAll('\0', ' ') }]
      } catch {
        return [] // exited while we looked
      }
    })
}

function descendants(root: number): Proc[] {
  const all = processes()
  const found: Proc[] = []
  const queue = [root]
  while (queue.length > 0) {
    const parent = queue.shift()
    for (const p of all.filter((x) => x.ppid === parent)) {
      found.push(p)
      queue.push(p.pid)
    }
  }
  return found
}

test.runIf(process.platform === 'linux')(
  'Ctrl-C during a pipeline run leaves no process and no data directory',
  { timeout: 120_000 },
  async () => {
    const bench = spawn(process.execPath, [BENCH, 'pipeline', '--profile', 'local'], {
      detached: true,
      stdio: 'ignore',
      env: { ...process.env, CI: '', BENCH_HISTORY: 'off' },
    })
    const root = bench.pid as number
    let seen: Proc[] = []
    await vi.waitFor(
      () => {
        seen = descendants(root)
        expect(seen.some((p) => p.cmdline.includes('apps/generator/main.ts'))).toBe(true)
      },
      { timeout: 60_000, interval: 200 },
    )
    const dataDir = seen.map((p) => /postgres -D (\S+)/.exec(p.cmdline)?.[1]).find(Boolean)
    expect(dataDir).toBeDefined()
    expect(seen.length).toBeGreaterThan(4) // vitest, its worker, the supervisor, postgres, processor, generator...
    // The live page's folder (harness/live-target.ts), which bench's children are told of.
    const liveTarget = seen
      .map((p) => {
        try {
          return /(?:^|\0)BENCH_LIVE_TARGET=([^\0]+)/.exec(readFileSync(`/proc/${p.pid}/environ`, 'utf8'))?.[1]
        } catch {
          return undefined // exited while we looked
        }
      })
      .find(Boolean)
    expect(liveTarget).toBeDefined()

    process.kill(-root, 'SIGINT')
    await once(bench, 'exit')
    await vi.waitFor(
      () => {
        const alive = seen.filter((p) => existsSync(`/proc/${p.pid}`) && !readFileSync(`/proc/${p.pid}/stat`, 'utf8').includes(') Z '))
        expect(alive.map((p) => p.cmdline)).toEqual([])
        expect(existsSync(dataDir as string)).toBe(false)
        expect(existsSync(dirname(liveTarget as string))).toBe(false)
      },
      { timeout: 30_000, interval: 200 },
    )
  },
)
