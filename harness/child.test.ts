import { mkdtemp, readdir, rm, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, expect, test } from 'vitest'
import { COMPILE_CACHE_DIR, spawnNodeChild } from './child.ts'

const dir = await mkdtemp(join(tmpdir(), 'child-test-'))
afterAll(() => rm(dir, { recursive: true, force: true }))

test('a node child compiles its modules through the compile cache, and an explicit directory wins', async () => {
  const entry = join(dir, 'ready.mjs')
  await writeFile(
    entry,
    `import { getCompileCacheDir } from 'node:module'
     console.log(JSON.stringify({ event: 'ready', cacheDir: getCompileCacheDir() ?? null }))`,
  )
  const readyWith = async (env: Record<string, string>) => {
    await using child = spawnNodeChild('cache probe', entry, [], env)
    return (await child.waitForReady<{ cacheDir: string | null }>(10_000)).cacheDir
  }
  // Node keeps each version's cache in a directory of its own below the one given.
  expect(await readyWith({})).toMatch(new RegExp(`^${process.env.NODE_COMPILE_CACHE ?? COMPILE_CACHE_DIR}/v`))
  const own = join(dir, 'own-cache')
  expect(await readyWith({ NODE_COMPILE_CACHE: own })).toMatch(new RegExp(`^${own}/v`))
  expect((await readdir(own)).length).toBeGreaterThan(0)
})
