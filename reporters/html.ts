import { chartJsSource } from '../apps/shared/chart-js-source.ts'
import type { JudgedMetric, RunResults } from '../model/results.ts'
import { drawFlameGraphs, flameGraphScripts, profilesHtml } from './cpu-profiles.ts'
import { changePointLines, figureColumns, headline, metricCells, sparkline } from './format.ts'
import { testbedHeadline } from './testbed.ts'

// Chart.js inlined, so the report opens offline, from an artifact, with no network.

/**
 * The run as one self-contained HTML file: the verdict tables, and per suite the change of every metric
 * with its interval (whiskers), the latency distributions and throughput over time the suites recorded.
 */
export function renderHtml(results: RunResults): string {
  const env = results.environment
  const sections = results.suites.map((suite, index) => {
    const rows = suite.metrics
      .map((m) => {
        const cells = [
          ...metricCells(suite.suite, m).slice(1),
          m.history && m.history.values.length > 1 ? sparkline(m.history.values) : '',
          describeSamples(m),
        ]
        return `<tr class="${m.verdict}"><td>${escapeHtml(m.key)}</td>${cells.map((c) => `<td>${escapeHtml(c)}</td>`).join('')}</tr>`
      })
      .join('\n')
    const charts = [
      suite.metrics.some((m) => m.change !== null)
        ? `<figure><canvas id="change-${index}"></canvas><figcaption>change vs baseline, with interval</figcaption></figure>`
        : '',
      suite.charts?.some((c) => c.kind === 'latency-cdf')
        ? `<figure><canvas id="latency-${index}"></canvas><figcaption>end-to-end latency distribution</figcaption></figure>`
        : '',
      suite.charts?.some((c) => c.kind === 'throughput')
        ? `<figure><canvas id="throughput-${index}"></canvas><figcaption>committed events per second</figcaption></figure>`
        : '',
    ].join('')
    return `<section>
<h2>${escapeHtml(suite.suite)} <span class="status ${suite.status}">${suite.status}</span></h2>
${suite.reason ? `<p class="reason">${escapeHtml(suite.reason)}</p>` : ''}
${
  rows
    ? `<table><thead><tr><th>metric</th>${figureColumns(results)
        .map((c) => `<th>${c}</th>`)
        .join(
          '',
        )}<th>change [interval] (threshold)</th><th>verdict</th><th>trend</th><th>samples</th></tr></thead><tbody>${rows}</tbody></table>`
    : ''
}
<div class="charts">${charts}</div>
${profilesHtml(suite, index, escapeHtml)}
</section>`
  })
  const notes = [
    ...results.errors.map((e) => `<p class="error">${escapeHtml(e)}</p>`),
    ...(results.testbed ? [`<p class="note">testbed: ${escapeHtml(testbedHeadline(results.testbed))}</p>`] : []),
    ...results.environmentNotes.map((n) => `<p class="note">${escapeHtml(n)}</p>`),
    ...results.suites.flatMap((s) =>
      s.reference ? [`<p class="note">${escapeHtml(`${s.suite}: judged against ${s.reference}`)}</p>`] : [],
    ),
    ...changePointLines(results).map((l) => `<p class="note">change point: ${escapeHtml(l)}</p>`),
  ].join('\n')
  const paired = results.against
    ? `<p>Paired mode: ${results.against.pairs} interleaved pairs against <code>${escapeHtml(results.against.ref)}</code> (${escapeHtml(results.against.commit.slice(0, 12))})${results.against.confirmed ? `, more pairs to confirm ${escapeHtml(results.against.confirmed.join(', '))}` : ''}; the run is held to 1% false alarms over all its metrics.</p>`
    : ''
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>performance-observatory: ${escapeHtml(headline(results))}</title>
<style>
body{font:14px/1.4 system-ui,sans-serif;margin:2rem;color:#222}table{border-collapse:collapse;margin:.5rem 0}
td,th{padding:.2rem .6rem;border-bottom:1px solid #ddd;text-align:right}td:first-child,th:first-child{text-align:left}
tr.regressed td:last-child{color:#c00;font-weight:bold}tr.improved td:last-child{color:#080}
.status.failed,.error{color:#c00}.note{color:#850}.charts{display:flex;flex-wrap:wrap;gap:1rem}
figure{width:560px;margin:0}figure.flame{width:960px;margin:1rem 0}figcaption{text-align:center;color:#666}footer{color:#666;margin-top:2rem}
</style></head><body>
<h1>${escapeHtml(headline(results))}</h1>
${paired}
${notes}
${sections.join('\n')}
<footer>profile ${escapeHtml(env.profile)} (${escapeHtml(env.profileReason)}) · ${env.cores} × ${escapeHtml(env.cpuModel)} ·
${Math.round(env.memoryBytes / 2 ** 30)} GiB · ${escapeHtml(env.os)} · Node ${escapeHtml(env.node)}${env.postgres ? ` · PostgreSQL ${escapeHtml(env.postgres)}` : ''} ·
${escapeHtml(results.startedAt)}</footer>
<script id="results" type="application/json">${JSON.stringify(results).replaceAll('<', '\\u003c')}</script>
<script>${chartJsSource()}</script>
<script>${drawCharts.toString()}
drawCharts(JSON.parse(document.getElementById('results').textContent))</script>
${
  results.suites.some((s) => (s.profiles ?? []).length > 0)
    ? `${flameGraphScripts()}\n<script>${drawFlameGraphs.toString()}\ndrawFlameGraphs(JSON.parse(document.getElementById('results').textContent).suites)</script>`
    : ''
}
</body></html>
`
}

/** Runs in the browser (serialised with toString): draws every chart and counts them in the page title. */
function drawCharts(results: RunResults): void {
  // biome-ignore lint/suspicious/noExplicitAny: browser globals; this file is type-checked without the DOM.
  const { Chart, document } = globalThis as any
  const colors = ['#1f77b4', '#ff7f0e', '#2ca02c', '#d62728', '#9467bd', '#8c564b', '#e377c2', '#7f7f7f']
  const verdictColor: Record<string, string> = {
    regressed: '#c00',
    improved: '#080',
    unchanged: '#888',
    new: '#1f77b4',
    missing: '#850',
    incomparable: '#a70',
  }
  let drawn = 0
  const draw = (id: string, config: object) => {
    const canvas = document.getElementById(id)
    if (!canvas) return
    new Chart(canvas, { ...config, options: { animation: false, ...(config as { options?: object }).options } })
    drawn++
  }
  results.suites.forEach((suite, index) => {
    const judged = suite.metrics.filter((m) => m.change !== null)
    const pct = (x: number) => Math.round(x * 1000) / 10
    draw(`change-${index}`, {
      type: 'bar',
      data: {
        labels: judged.map((m) => m.key),
        datasets: [
          {
            label: 'interval (%)',
            data: judged.map((m) => (m.interval ? [pct(m.interval[0]), pct(m.interval[1])] : null)),
            backgroundColor: '#ccc',
            barPercentage: 0.3,
            order: 1,
          },
          {
            type: 'line',
            label: 'change (%)',
            data: judged.map((m) => pct(m.change as number)),
            showLine: false,
            pointRadius: 6,
            order: 0,
            pointBackgroundColor: judged.map((m) => verdictColor[m.verdict]),
          },
        ],
      },
      options: { indexAxis: 'y', scales: { x: { title: { display: true, text: 'change %' } } } },
    })
    const series = (kind: string) => (suite.charts ?? []).filter((c) => c.kind === kind)
    const lines = (kind: string, toX: (x: number) => number = (x) => x) =>
      series(kind).map((c, i) => ({
        label: c.label,
        data: c.points.map(([x, y]) => ({ x: toX(x), y })),
        borderColor: colors[i % colors.length],
        pointRadius: 2,
      }))
    // Percentile p at -log10(1 - p/100) ("nines") so the tail gets room; p = 100 is drawn at 5 nines.
    const nines = (p: number) => (p >= 100 ? 5 : -Math.log10(1 - p / 100))
    draw(`latency-${index}`, {
      type: 'line',
      data: { datasets: lines('latency-cdf', nines) },
      options: {
        scales: {
          x: {
            type: 'linear',
            title: { display: true, text: 'percentile (nines)' },
            ticks: { callback: (v: number) => `${100 - 100 / 10 ** v}` },
          },
          y: { type: 'logarithmic', title: { display: true, text: 'ms' } },
        },
        parsing: false,
      },
    })
    draw(`throughput-${index}`, {
      type: 'line',
      data: { datasets: lines('throughput') },
      options: {
        parsing: false,
        scales: { x: { type: 'linear', title: { display: true, text: 's' } }, y: { title: { display: true, text: 'events/s' } } },
      },
    })
  })
  document.title = `${document.title} (${drawn} charts)`
  document.body.dataset.charts = String(drawn)
}

// `n=7 · median 45,120 [44,800, 45,600] · sd 310`: what the figure rests on.
function describeSamples(m: JudgedMetric): string {
  const s = m.summary
  if (!s) return ''
  const f = (x: number) => x.toLocaleString('en-US', { maximumSignificantDigits: 4 })
  const interval = s.medianInterval ? ` [${f(s.medianInterval[0])}, ${f(s.medianInterval[1])}]` : ''
  return `n=${s.n.toLocaleString('en-US')} · median ${f(s.median)}${interval} · p99 ${f(s.p99)} · sd ${f(s.sd)}`
}

const escapeHtml = (text: string) => text.replaceAll('&', '&amp;').replaceAll('<', '&lt;').replaceAll('>', '&gt;').replaceAll('"', '&quot;')
