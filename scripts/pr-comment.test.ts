import { execFile } from 'node:child_process'
import { chmod, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { promisify } from 'node:util'
import { afterAll, expect, test } from 'vitest'
import { COMMENT_MARKER } from '../reporters/markdown.ts'

const run = promisify(execFile)
const SCRIPT = join(import.meta.dirname, 'pr-comment.sh')
const root = await mkdtemp(join(tmpdir(), 'pr-comment-test-'))
afterAll(() => rm(root, { recursive: true, force: true }))

// A fake `gh` (no GitHub here): answers the PR's head SHA and existing comment ids, and logs every call.
async function fakeGh(dir: string, { headSha, existingCommentId }: { headSha: string; existingCommentId?: string }) {
  const log = join(dir, 'gh.log')
  await writeFile(
    join(dir, 'gh'),
    `#!/usr/bin/env bash
echo "$*" >> ${log}
case "$*" in
  *"/pulls/"*"--jq .head.sha"*) echo ${headSha} ;;
  *"--paginate"*"/comments"*) ${existingCommentId ? `echo ${existingCommentId}` : 'true'} ;;
esac
`,
  )
  await chmod(join(dir, 'gh'), 0o755)
  return log
}

async function comment(options: { pr: string; report?: string; headSha?: string; existingCommentId?: string }) {
  const dir = await mkdtemp(join(root, 'case-'))
  const log = await fakeGh(dir, { headSha: options.headSha ?? 'abc', existingCommentId: options.existingCommentId })
  await writeFile(join(dir, 'pr-number'), `${options.pr}\n`)
  if (options.report !== undefined) await writeFile(join(dir, 'latest.md'), options.report)
  const env = { ...process.env, PATH: `${dir}:${process.env.PATH}`, REPO: 'o/r', HEAD_SHA: 'abc' }
  const result = await run('bash', [SCRIPT, dir], { env }).then(
    ({ stdout, stderr }) => ({ code: 0, out: stdout + stderr }),
    (e: { code: number; stdout: string; stderr: string }) => ({ code: e.code, out: e.stdout + e.stderr }),
  )
  const calls = await readFile(log, 'utf8').catch(() => '')
  return { ...result, calls }
}

const REPORT = `${COMMENT_MARKER}\n### performance-observatory: ✅ No regression\n`

test('posts a new comment when the PR has none', async () => {
  const { code, calls } = await comment({ pr: '7', report: REPORT })
  expect(code).toBe(0)
  expect(calls).toMatch(/^api -X POST repos\/o\/r\/issues\/7\/comments -F body=@.*latest\.md$/m)
})

test('updates the existing comment instead of adding one', async () => {
  const { code, calls } = await comment({ pr: '7', report: REPORT, existingCommentId: '99' })
  expect(code).toBe(0)
  expect(calls).toMatch(/^api -X PATCH repos\/o\/r\/issues\/comments\/99 /m)
  expect(calls).not.toContain('POST')
})

test('refuses a PR number that is not a number', async () => {
  const { code, out, calls } = await comment({ pr: '7; rm -rf /', report: REPORT })
  expect(code).toBe(1)
  expect(out).toContain('does not hold a pull request number')
  expect(calls).toBe('')
})

test('does not comment when the PR moved past the measured commit', async () => {
  const { code, out, calls } = await comment({ pr: '7', report: REPORT, headSha: 'def' })
  expect(code).toBe(0)
  expect(out).toContain('not at the measured abc')
  expect(calls).not.toMatch(/POST|PATCH/)
})

test('refuses a report that is not ours', async () => {
  const { code, calls } = await comment({ pr: '7', report: '# hello\n' })
  expect(code).toBe(1)
  expect(calls).toBe('')
})
