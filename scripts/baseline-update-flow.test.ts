import { execFile } from 'node:child_process'
import { chmod, cp, mkdir, mkdtemp, readFile, rm, symlink, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { promisify } from 'node:util'
import { afterAll, expect, test } from 'vitest'

// The weekly baseline update as baseline-update.yml runs it, up to the pull request: `pnpm bench:update`
// for real (the micro suite, 3 runs; the operator suite measures nothing on the local profile and is
// allowed by name, as the workflow allows it), then scripts/baseline-pr.sh against a bare repository as
// origin, with a stub `gh` on PATH that records what it was asked. The stub stands in for GitHub only.
const run = promisify(execFile)
const ROOT = join(import.meta.dirname, '..')
const dir = await mkdtemp(join(tmpdir(), 'baseline-flow-'))
afterAll(() => rm(dir, { recursive: true, force: true }))

const GH_STUB = `#!/usr/bin/env bash
echo "$*" >> "$GH_LOG"
case "$1 $2" in
  "pr view") exit 1 ;;
  "pr create") while [ $# -gt 0 ]; do [ "$1" = --body-file ] && cp "$2" "$GH_BODY"; shift; done ;;
esac
exit 0
`

test('bench:update records what it can, names what it skipped, and baseline-pr.sh opens the pull request', {
  timeout: 300_000,
}, async () => {
  const repo = join(dir, 'repo')
  const origin = join(dir, 'origin.git')
  const bin = join(dir, 'bin')
  const git = (...args: string[]) => run('git', args, { cwd: repo })
  // A clone of this tree as it is, committed, with its dependencies.
  await mkdir(repo)
  for (const part of [
    'package.json',
    'tsconfig.json',
    'vitest.config.ts',
    'apps',
    'harness',
    'model',
    'reporters',
    'scripts',
    'suites',
    'baselines',
  ]) {
    await cp(join(ROOT, part), join(repo, part), { recursive: true })
  }
  await symlink(join(ROOT, 'node_modules'), join(repo, 'node_modules'))
  await writeFile(join(repo, '.gitignore'), 'node_modules\nresults\n')
  await run('git', ['init', '--quiet', '--bare', origin])
  await git('init', '--quiet', '--initial-branch=main')
  await git('-c', 'user.name=t', '-c', 'user.email=t@example.invalid', 'add', '.')
  await git('-c', 'user.name=t', '-c', 'user.email=t@example.invalid', 'commit', '--quiet', '-m', 'main')
  await git('remote', 'add', 'origin', origin)
  await git('push', '--quiet', 'origin', 'main')
  await mkdir(bin)
  await writeFile(join(bin, 'gh'), GH_STUB)
  await chmod(join(bin, 'gh'), 0o755)

  const env = { ...process.env, CI: 'true', BENCH_HISTORY: 'off' }
  const update = await run(
    process.execPath,
    ['scripts/bench.ts', '--update', 'processor', 'operator', '--runs', '3', '--profile', 'local', '--allow-skipped', 'operator'],
    {
      cwd: repo,
      env,
    },
  )
  expect(update.stdout).toContain('bench:update: baselines/processor.json updated from 3 run(s)')
  expect(update.stderr).toMatch(/baselines\/operator\.json not updated: the suite skipped in at least one run: .*kwok/)

  const log = join(dir, 'gh.log')
  const body = join(dir, 'body.md')
  await run('bash', ['scripts/baseline-pr.sh'], {
    cwd: repo,
    env: { ...env, PATH: `${bin}:${process.env.PATH}`, GH_LOG: log, GH_BODY: body, REPO: 'owner/name', GH_TOKEN: 'stub' },
  })
  const calls = (await readFile(log, 'utf8')).trim().split('\n')
  expect(calls.filter((c) => c.startsWith('pr create --repo owner/name --head bench/baseline-update --title Update'))).toHaveLength(1)
  expect(calls).toContain('workflow run ci.yml --repo owner/name --ref bench/baseline-update')
  expect(calls).toContain('workflow run bench.yml --repo owner/name --ref bench/baseline-update')
  const changed = await run('git', ['--git-dir', origin, 'diff', '--name-only', 'main', 'bench/baseline-update'])
  expect(changed.stdout.trim().split('\n')).toEqual(['baselines/processor.json'])
  const description = await readFile(body, 'utf8')
  expect(description).toContain('processor')
  expect(description).toMatch(/validate batch throughput/)
})
