import { existsSync } from 'node:fs'
import { mkdtemp, rm, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { chromium } from 'playwright-core'
import { describe, expect } from 'vitest'
import { startApp } from '../../harness/apps.ts'
import { test } from '../../harness/fixtures.ts'
import { followLive, LIVE_TARGET_ENV } from '../../harness/live-target.ts'
import { liveMessages } from './live-messages.ts'
import { startLiveServer } from './live-server.ts'

// The live observatory for real: a real processor under load, the real API process serving /live, and the
// page in headless Chromium (Debian's package; scripts/install-chromium.sh) drawing what the feed pushes.
const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium'

/** Market events stamped now, posted to the processor every 50 ms until `stop` is called. */
function steadyLoad(processorUrl: string) {
  let seq = 0
  let running = true
  const done = (async () => {
    while (running) {
      const events = Array.from({ length: 200 }, () => ({
        kind: 'market',
        source: 'live-page-test',
        seq: seq++,
        ts: Date.now(),
        symbol: 'ACME',
        price: 10,
        volume: 1,
      }))
      const response = await fetch(`${processorUrl}/ingest`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ events }),
      })
      expect(response.status).toBe(200)
      await new Promise((resolve) => setTimeout(resolve, 50))
    }
  })()
  return async () => {
    running = false
    await done
  }
}

describe('the live page', { timeout: 90_000 }, () => {
  test('charts throughput, queue depth, end-to-end p99 and RSS as updates arrive, in headless Chromium', async ({
    postgres,
    processor,
  }) => {
    if (!existsSync(CHROMIUM)) {
      if (process.env.CI === 'true') throw new Error(`Chromium not found at ${CHROMIUM}: run scripts/install-chromium.sh.`)
      return
    }
    await using api = await startApp('api', [`--database-url=${postgres.url}`, `--processor-url=${processor.url}`])
    const stopLoad = steadyLoad(processor.url)
    const browser = await chromium.launch({ executablePath: CHROMIUM, args: ['--no-sandbox'] })
    try {
      const page = await browser.newPage()
      const problems: string[] = []
      page.on('pageerror', (error) => problems.push(error.message))
      page.on('console', (message) => {
        if (message.type() === 'error') problems.push(message.text())
      })
      await page.goto(`${api.url}/live`)
      // Updates arrive (every 500 ms) and each is drawn.
      await page.waitForFunction('Number(document.body.dataset.updates) >= 5', undefined, { timeout: 20_000 })
      type Drawn = Record<string, { max: number; points: number; painted: number }>
      const drawn: Drawn = await page.evaluate(() => {
        // biome-ignore lint/suspicious/noExplicitAny: the browser's globals, which this Node project does not type
        const { Chart, document } = globalThis as any
        const figures: Drawn = {}
        for (const canvas of document.querySelectorAll('canvas')) {
          const values: (number | null)[] = Chart.getChart(canvas).data.datasets[0]?.data ?? []
          const pixels: Uint8ClampedArray = canvas.getContext('2d').getImageData(0, 0, canvas.width, canvas.height).data
          let painted = 0
          for (let i = 3; i < pixels.length; i += 4) if ((pixels[i] ?? 0) > 0) painted++
          figures[canvas.id] = { max: Math.max(...values.map((v) => v ?? 0)), points: values.length, painted }
        }
        return figures
      })
      expect(Object.keys(drawn).sort()).toEqual(['committed', 'p99', 'queue', 'rss'])
      for (const chart of Object.values(drawn)) {
        expect(chart.points).toBeGreaterThanOrEqual(5)
        expect(chart.painted).toBeGreaterThan(500) // axes, labels and a line, not a blank canvas
      }
      // ~4,000 events/s offered; the rate, the latency of the events just acknowledged, and memory show.
      expect(drawn.committed?.max).toBeGreaterThan(1000)
      expect(drawn.p99?.max).toBeGreaterThan(0)
      expect(drawn.rss?.max).toBeGreaterThan(20)
      expect(await page.textContent('#status')).toContain(processor.url)
      expect(problems).toEqual([])
    } finally {
      await browser.close()
      await stopLoad()
    }
  })

  test("pnpm bench's live server waits for a processor, then follows the one the harness names", async ({ processor }) => {
    const dir = await mkdtemp(join(tmpdir(), 'live-target-'))
    const target = join(dir, 'processor-url')
    const live = await startLiveServer(target)
    try {
      const [waiting] = await liveMessages(live.url, 1)
      expect(waiting?.waiting).toBe('no processor is running yet')
      // As the harness does when a suite starts a processor (the startProcessor fixture).
      await followLive(processor.url, { [LIVE_TARGET_ENV]: target })
      const following = await liveMessages(live.url, 2)
      expect(following.map((m) => m.processor)).toEqual([processor.url, processor.url])
      expect(following[1]?.residentMemoryBytes).toBeGreaterThan(0)
      await writeFile(target, 'http://127.0.0.1:9')
      const [gone] = await liveMessages(live.url, 1)
      expect(gone?.error).toMatch(/^processor http:\/\/127\.0\.0\.1:9 unreachable/)
    } finally {
      await live.close()
      await rm(dir, { recursive: true, force: true })
    }
  })
})
