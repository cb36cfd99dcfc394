import { readdirSync, readFileSync } from 'node:fs'
import { join } from 'node:path'
import { describe, expect, test } from 'vitest'
import { parse } from 'yaml'

// Security properties of every workflow, checked on the parsed YAML.
const DIR = join(import.meta.dirname, '..', '.github', 'workflows')
const workflows = readdirSync(DIR)
  .filter((f) => /\.ya?ml$/.test(f))
  .map((file) => ({ file, text: readFileSync(join(DIR, file), 'utf8'), doc: parse(readFileSync(join(DIR, file), 'utf8')) }))

interface Step {
  uses?: string
  with?: Record<string, unknown>
}
interface Job {
  permissions?: unknown
  steps?: Step[]
}
const jobs = (doc: { jobs?: Record<string, Job> }) => Object.entries(doc.jobs ?? {})

test('the four workflows exist', () => {
  expect(workflows.map((w) => w.file).sort()).toEqual(['baseline-update.yml', 'bench-comment.yml', 'bench.yml', 'ci.yml'])
})

describe.each(workflows)('$file', ({ text, doc }) => {
  test('never uses pull_request_target', () => {
    expect(Object.keys(doc.on ?? {})).not.toContain('pull_request_target')
    expect(text).not.toContain('pull_request_target')
  })

  test('declares permissions at the top, and every job inherits or narrows them explicitly', () => {
    expect(doc.permissions).toBeDefined()
    expect(doc.permissions).not.toBe('write-all')
    for (const [, job] of jobs(doc)) expect(job.permissions ?? doc.permissions).not.toBe('write-all')
  })

  test('pins every third-party action by a full commit SHA', () => {
    for (const [, job] of jobs(doc)) {
      for (const step of job.steps ?? []) {
        if (step.uses && !step.uses.startsWith('./')) expect(step.uses).toMatch(/^[\w.-]+\/[\w./-]+@[0-9a-f]{40}$/)
      }
    }
  })

  test('checks out without persisting credentials', () => {
    for (const [, job] of jobs(doc)) {
      for (const step of (job.steps ?? []).filter((s) => s.uses?.startsWith('actions/checkout@'))) {
        expect(step.with?.['persist-credentials']).toBe(false)
      }
    }
  })

  test('has a concurrency group', () => {
    expect(doc.concurrency?.group).toBeTruthy()
  })
})

test('the pull-request workflow is read-only', () => {
  const bench = workflows.find((w) => w.file === 'bench.yml')?.doc
  expect(bench.permissions).toEqual({ contents: 'read' })
  for (const [, job] of jobs(bench)) expect(job.permissions).toBeUndefined()
})

test('the pull-request workflow judges in paired mode against the base commit', () => {
  const bench = workflows.find((w) => w.file === 'bench.yml')
  expect(bench?.text).toContain('pnpm bench --against "$BASE_SHA"')
  // biome-ignore lint/suspicious/noTemplateCurlyInString: a GitHub Actions expression, not a JS template.
  expect(bench?.text).toContain('BASE_SHA: ${{ github.event.pull_request.base.sha || github.event.repository.default_branch }}')
})

test('each job that runs the benchmarks allows by name exactly the suites it is not meant to run', () => {
  const commands = workflows.flatMap((w) => [...w.text.matchAll(/pnpm bench(?::update)?[^\n]*/g)].map((m) => `${w.file}: ${m[0]}`))
  expect(commands).toEqual([
    'baseline-update.yml: pnpm bench:update --allow-skipped operator',
    'baseline-update.yml: pnpm bench:update operator --profile kwok --runs 3',
    'bench.yml: pnpm bench --against "$BASE_SHA" --allow-skipped operator',
    'bench.yml: pnpm bench pipeline operator resilience --profile k3s',
    'bench.yml: pnpm bench operator --profile kwok',
  ])
})

test('the baseline-update pull request gets its checks: the job may dispatch the workflows its token cannot start', () => {
  const update = workflows.find((w) => w.file === 'baseline-update.yml')?.doc
  expect(update.jobs.update.permissions.actions).toBe('write')
  for (const file of ['ci.yml', 'bench.yml'])
    expect(Object.keys(workflows.find((w) => w.file === file)?.doc.on ?? {})).toContain('workflow_dispatch')
})

test('the commenting workflow never checks out the pull request', () => {
  const comment = workflows.find((w) => w.file === 'bench-comment.yml')
  for (const [, job] of jobs(comment?.doc)) {
    for (const step of (job.steps ?? []).filter((s) => s.uses?.startsWith('actions/checkout@'))) expect(step.with?.ref).toBeUndefined()
  }
  expect(comment?.text).not.toMatch(/head_branch|head\.ref|pull_request\.head/)
})
