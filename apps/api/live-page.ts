import { chartJsSource } from '../shared/chart-js-source.ts'

/** The most recent points each chart keeps: 2 minutes at the default interval. */
const MAX_POINTS = 240

/**
 * The live observatory page: throughput, queue depth, end-to-end p99 and RSS of the running processor,
 * charted as /api/v1/live pushes them every `intervalMs`. Self-contained (Chart.js inlined), so it needs nothing but the API.
 * `body[data-updates]` counts the snapshots drawn, for its test and for anyone scripting it.
 */
export function livePageHtml(intervalMs: number): string {
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><link rel="icon" href="data:,"><title>performance-observatory: live</title>
<style>
body { font-family: system-ui, sans-serif; margin: 1rem 2rem; color: #111; }
#charts { display: grid; grid-template-columns: repeat(auto-fit, minmax(420px, 1fr)); gap: 1rem; }
.panel { position: relative; height: 240px; }
#status { color: #555; }
</style></head>
<body data-updates="0">
<h1>Live: the running processor</h1>
<p id="status">connecting…</p>
<div id="charts">
<div class="panel"><canvas id="committed"></canvas></div>
<div class="panel"><canvas id="queue"></canvas></div>
<div class="panel"><canvas id="p99"></canvas></div>
<div class="panel"><canvas id="rss"></canvas></div>
</div>
<script>${chartJsSource()}</script>
<script>${drawLive.toString()}
drawLive(${intervalMs}, ${MAX_POINTS})</script>
</body></html>`
}

interface LiveChart {
  data: { labels: string[]; datasets: { data: (number | null)[] }[] }
  update(mode: string): void
}

// Runs in the browser (stringified above): Chart.js and the page are there, not here.
function drawLive(intervalMs: number, maxPoints: number): void {
  // biome-ignore lint/suspicious/noExplicitAny: the browser's globals, which this Node project does not type
  const { Chart, document, location } = globalThis as any
  type Snapshot = {
    at: string
    processor: string
    committedPerSecond: number
    queueDepth: number
    endToEndP99Ms: number | null
    residentMemoryBytes: number
  }
  const panels: { id: string; label: string; value: (s: Snapshot) => number | null }[] = [
    { id: 'committed', label: 'committed events/s', value: (s) => s.committedPerSecond },
    { id: 'queue', label: 'queue depth (events accepted, not yet committed)', value: (s) => s.queueDepth },
    { id: 'p99', label: 'end-to-end p99 over the last interval (ms)', value: (s) => s.endToEndP99Ms },
    { id: 'rss', label: 'processor RSS (MiB)', value: (s) => s.residentMemoryBytes / 2 ** 20 },
  ]
  const charts: LiveChart[] = panels.map(
    (panel) =>
      new Chart(document.getElementById(panel.id), {
        type: 'line',
        data: {
          labels: [],
          datasets: [{ label: panel.label, data: [], borderColor: '#2563eb', borderWidth: 2, pointRadius: 0, spanGaps: true }],
        },
        options: {
          animation: false,
          responsive: true,
          maintainAspectRatio: false,
          scales: { x: { title: { display: true, text: 'seconds since the page opened' } }, y: { beginAtZero: true } },
        },
      }),
  )
  const opened = Date.now()
  const status = document.getElementById('status')
  let updates = 0
  const connect = () => {
    const socket = new WebSocket(`${location.protocol === 'https:' ? 'wss' : 'ws'}://${location.host}/api/v1/live?intervalMs=${intervalMs}`)
    socket.onmessage = (event: { data: unknown }) => {
      const message = JSON.parse(String(event.data))
      if (message.error || message.waiting) {
        status.textContent = message.error ?? message.waiting
        return
      }
      const snapshot = message as Snapshot
      status.textContent = `processor ${snapshot.processor}, ${new Date(snapshot.at).toLocaleTimeString()}`
      const second = ((Date.now() - opened) / 1000).toFixed(1)
      charts.forEach((chart, i) => {
        chart.data.labels.push(second)
        chart.data.datasets[0]?.data.push(panels[i]?.value(snapshot) ?? null)
        if (chart.data.labels.length > maxPoints) {
          chart.data.labels.shift()
          chart.data.datasets[0]?.data.shift()
        }
        chart.update('none')
      })
      document.body.dataset.updates = String(++updates)
    }
    // The API restarts with a benchmark's environment now and then: keep trying.
    socket.onclose = () => {
      status.textContent = 'disconnected; reconnecting…'
      setTimeout(connect, 1000)
    }
  }
  connect()
}
