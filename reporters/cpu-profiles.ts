import { readFileSync } from 'node:fs'
import { createRequire } from 'node:module'
import { dirname, join } from 'node:path'
import type { CpuProfileRecord } from '../model/metric.ts'
import type { SuiteResult } from '../model/results.ts'
import { grownLines } from './profile-diff.ts'

// Where the CPU went, per app and scenario (harness/cpu-profile.ts): the top functions by self time for the
// Markdown report, and an interactive flame graph (d3-flame-graph) for the HTML report.

/** Functions listed per profile in the Markdown report (the results keep 10). */
const MARKDOWN_TOP = 5

const pct = (share: number) => `${(share * 100).toFixed(1)}%`

/** One line on what a profile covers: the app's busy share of one core over the load. */
export const profileCaption = (p: CpuProfileRecord) =>
  `${p.app}: ${(p.durationMs / 1000).toFixed(1)} s sampled, busy ${pct(p.busyShare)} of it`

/** A collapsed section per suite with profiles: for each, its top functions by self time. */
export function profilesMarkdown(suite: SuiteResult, esc: (text: string) => string): string[] {
  const profiles = suite.profiles ?? []
  const grown = grownLines(suite.grownFunctions ?? [])
  const out: string[] = []
  if (grown.length > 0)
    out.push(
      'Where head spends more CPU than base (share of busy samples, CPU profiles of one more run each):',
      '',
      ...grown.map((l) => `- ${esc(l)}`),
      '',
    )
  if (profiles.length === 0) return out
  out.push(`<details><summary>Where the CPU went: ${profiles.length} profiles (self time, top ${MARKDOWN_TOP})</summary>`, '')
  for (const p of profiles) {
    out.push(
      `**${esc(p.test)}** — ${esc(profileCaption(p))} · \`${esc(p.file)}\`${p.heapSnapshot ? ` · heap snapshot \`${esc(p.heapSnapshot)}\`` : ''}`,
      '',
      '| self | function | where |',
      '| ---: | --- | --- |',
    )
    for (const f of p.top.slice(0, MARKDOWN_TOP)) out.push(`| ${pct(f.selfShare)} | ${esc(f.function)} | ${esc(f.location)} |`)
    out.push('')
  }
  out.push('</details>', '')
  return out
}

/** Each profile's figure: a flame graph, drawn in the browser by drawFlameGraphs, and its file. */
export function profilesHtml(suite: SuiteResult, suiteIndex: number, esc: (text: string) => string): string {
  const grown = grownLines(suite.grownFunctions ?? [])
  const list = grown.length
    ? `<p>Where head spends more CPU than base:</p><ul class="grown">${grown.map((l) => `<li>${esc(l)}</li>`).join('')}</ul>\n`
    : ''
  return (
    list +
    (suite.profiles ?? [])
      .map(
        (p, i) =>
          `<figure class="flame"><div id="flame-${suiteIndex}-${i}"></div><figcaption>${esc(p.test)} · ${esc(profileCaption(p))} · ` +
          `<a href="${esc(p.file)}">${esc(p.file.split('/').at(-1) ?? p.file)}</a> (opens in speedscope or Chrome DevTools)` +
          `${p.heapSnapshot ? ` · <a href="${esc(p.heapSnapshot)}">heap snapshot</a> (Chrome DevTools, Memory)` : ''}</figcaption></figure>`,
      )
      .join('\n')
  )
}

let libraries: string | undefined
/** d3 and d3-flame-graph inlined, so the report opens offline; only reports with profiles carry them. */
export function flameGraphScripts(): string {
  const require = createRequire(import.meta.url)
  // d3 exports no subpaths: its bundle sits two folders above its entry (src/index.js).
  libraries ??= [
    readFileSync(join(dirname(dirname(require.resolve('d3'))), 'dist', 'd3.min.js'), 'utf8'),
    readFileSync(join(dirname(require.resolve('d3-flame-graph')), 'd3-flamegraph.umd.min.js'), 'utf8'),
  ]
    .map((code) => `<script>${code.replaceAll('</script', '<\\/script')}</script>`)
    .join('\n')
  return libraries
}

/** Runs in the browser (serialised with toString): draws every profile's flame graph and counts them. */
export function drawFlameGraphs(suites: SuiteResult[]): void {
  // biome-ignore lint/suspicious/noExplicitAny: browser globals; this file is type-checked without the DOM.
  const { d3, flamegraph, document } = globalThis as any
  let drawn = 0
  suites.forEach((suite, s) => {
    ;(suite.profiles ?? []).forEach((p, i) => {
      const element = document.getElementById(`flame-${s}-${i}`)
      if (!element) return
      const chart = flamegraph.default().width(960).cellHeight(16).transitionDuration(0).minFrameSize(1).title('')
      d3.select(element).datum(p.flame).call(chart)
      drawn++
    })
  })
  document.body.dataset.flameGraphs = String(drawn)
}
