import { existsSync } from 'node:fs'
import { mkdtemp, rm, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { pathToFileURL } from 'node:url'
import { chromium } from 'playwright-core'
import { expect } from 'vitest'
import { renderHtml } from '../reporters/html.ts'
import { renderMarkdown } from '../reporters/markdown.ts'
import { syntheticResults, syntheticSuite } from '../reporters/synthetic-results.ts'
import { summarizeCpuProfile } from './cpu-profile-summary.ts'
import { test } from './fixtures.ts'
import { profilePipeline, runPipeline } from './pipeline-run.ts'

// A real pipeline run profiled as `pnpm bench pipeline` profiles it: the processor over the load through
// its inspector, the generator with --cpu-prof. Then the reports: the top functions in Markdown, and in
// real headless Chromium a flame graph drawn from each profile.
const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium'

test('a profiled pipeline run: both apps sampled over the load, their own code on top, flame graphs drawn', {
  timeout: 120_000,
}, async ({ processor, postgres }) => {
  expect(processor.inspectPort, 'CPU profiles are on by default, so the processor listens for the profiler').toBeTypeOf('number')
  const run = await runPipeline(processor, postgres, { ratePerSecond: 5000, durationSeconds: 3, source: 'profiled', cpuProfile: true })
  expect(run.cpuProfiles.map((p) => p.app)).toEqual(['processor', 'generator'])
  // Both apps' runtime over the load (apps/shared/runtime-window.ts): 15,000 events make garbage.
  for (const runtime of [run.processorRuntime, run.load.runtime]) {
    expect(runtime?.seconds).toBeGreaterThan(2.5)
    expect(runtime?.allocatedMiBPerSecond).toBeGreaterThan(0.5)
    expect(runtime?.gcCount).toBeGreaterThan(0)
  }
  const [processorProfile, generatorProfile] = run.cpuProfiles.map((p) => summarizeCpuProfile(p.profile))
  if (!processorProfile || !generatorProfile) throw new Error('two profiles expected')
  // Sampled every millisecond over about the 3 s of load (the generator from its start to its exit).
  expect(processorProfile.durationMs).toBeGreaterThan(2500)
  expect(processorProfile.samples).toBeGreaterThan(1000)
  expect(processorProfile.busyShare).toBeGreaterThan(0)
  // The generator's own sender is among its busiest functions; the processor's time is in its request path.
  expect(generatorProfile.top.map((f) => f.location).some((l) => l.startsWith('apps/generator/'))).toBe(true)
  const inTree = (node: { name: string; children: { name: string }[] }, pattern: RegExp): boolean =>
    pattern.test(node.name) || node.children.some((child) => inTree(child as typeof node, pattern))
  expect(inTree(processorProfile.flame, /apps\/processor\//)).toBe(true)

  // The suites' profiled pass, with a heap snapshot asked for (BENCH_HEAP_SNAPSHOT=on): the processor's
  // entry carries one, in the .heapsnapshot format DevTools loads, with the processor's objects in it.
  process.env.BENCH_HEAP_SNAPSHOT = 'on'
  const pass = await profilePipeline(processor, postgres, { ratePerSecond: 2000, source: 'profiled-pass' }).finally(() => {
    delete process.env.BENCH_HEAP_SNAPSHOT
  })
  expect(pass.map((p) => [p.app, p.heapSnapshot !== undefined])).toEqual([
    ['processor', true],
    ['generator', false],
  ])
  const snapshot = JSON.parse(pass[0]?.heapSnapshot as string) as { snapshot: { node_count: number }; strings: string[] }
  expect(snapshot.snapshot.node_count).toBeGreaterThan(10_000)
  expect(snapshot.strings).toContain('CommitBatcher')

  const profiles = [
    { test: 't', app: 'processor', file: 't--processor.cpuprofile', ...processorProfile },
    { test: 't', app: 'generator', file: 't--generator.cpuprofile', ...generatorProfile },
  ]
  const results = syntheticResults({ suites: [syntheticSuite([], { suite: 'pipeline', profiles })] })
  const markdown = renderMarkdown(results)
  expect(markdown).toContain('Where the CPU went: 2 profiles')
  const first = processorProfile.top[0]
  expect(markdown).toContain(`| ${((first?.selfShare ?? 0) * 100).toFixed(1)}% | ${first?.function} |`)

  if (!existsSync(CHROMIUM)) {
    if (process.env.CI === 'true') throw new Error(`Chromium not found at ${CHROMIUM}: run scripts/install-chromium.sh.`)
    return
  }
  const dir = await mkdtemp(join(tmpdir(), 'observatory-flame-'))
  const browser = await chromium.launch({ executablePath: CHROMIUM, args: ['--no-sandbox'] })
  try {
    const file = join(dir, 'report.html')
    await writeFile(file, renderHtml(results))
    const page = await browser.newPage()
    const problems: string[] = []
    page.on('pageerror', (error) => problems.push(error.message))
    page.on('console', (message) => {
      if (message.type() === 'error') problems.push(message.text())
    })
    page.on('request', (request) => {
      if (!request.url().startsWith('file:')) problems.push(`network request to ${request.url()}`)
    })
    await page.goto(pathToFileURL(file).href)
    await page.waitForSelector('body[data-flame-graphs]', { timeout: 10_000 })
    expect(await page.getAttribute('body', 'data-flame-graphs')).toBe('2')
    // Each flame graph is an SVG of frames (rects), the widest being the root.
    const frames = await page.$$eval('#flame-0-0 svg g rect', (rects) => rects.length)
    expect(frames).toBeGreaterThan(5)
    expect(await page.textContent('#flame-0-0')).toMatch(/apps\/processor\//)
    expect(problems).toEqual([])
  } finally {
    await browser.close()
    await rm(dir, { recursive: true, force: true })
  }
})
