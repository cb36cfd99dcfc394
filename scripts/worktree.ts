import { execFile } from 'node:child_process'
import { mkdtemp, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { promisify } from 'node:util'

const run = promisify(execFile)

export interface Worktree {
  dir: string
  commit: string
  remove(): Promise<void>
}

/**
 * A detached checkout of `ref` in a temp dir with its dependencies installed from the pnpm store, for
 * running the base side of a paired comparison. remove() deletes it and its git bookkeeping.
 */
export async function createWorktree(root: string, ref: string, log: (line: string) => void): Promise<Worktree> {
  const commit = await run('git', ['rev-parse', '--verify', '--quiet', `${ref}^{commit}`], { cwd: root }).then(
    ({ stdout }) => stdout.trim(),
    () => {
      throw new Error(`'${ref}' is not a commit in this repository; fetch it first (for example: git fetch origin ${ref}).`)
    },
  )
  const dir = await mkdtemp(join(tmpdir(), 'observatory-base-'))
  const remove = async () => {
    await run('git', ['worktree', 'remove', '--force', dir], { cwd: root }).catch(() => undefined)
    await rm(dir, { recursive: true, force: true })
    await run('git', ['worktree', 'prune'], { cwd: root }).catch(() => undefined)
  }
  try {
    await run('git', ['worktree', 'add', '--detach', dir, commit], { cwd: root })
    log(`base ${ref} (${commit.slice(0, 12)}) checked out in ${dir}; installing its dependencies`)
    await run('pnpm', ['install', '--frozen-lockfile', '--prefer-offline'], { cwd: dir, maxBuffer: 64 * 2 ** 20 })
  } catch (error) {
    await remove()
    const detail = (error as { stderr?: string }).stderr?.trim() || (error as Error).message
    throw new Error(`could not prepare ${ref} for a paired run: ${detail}`)
  }
  return { dir, commit, remove }
}
