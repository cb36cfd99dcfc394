import { existsSync } from 'node:fs'
import { mkdtemp, rm, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { pathToFileURL } from 'node:url'
import { chromium } from 'playwright-core'
import { afterAll, beforeAll, expect, test } from 'vitest'
import { renderHtml } from './html.ts'
import { syntheticMetric, syntheticResults, syntheticSuite } from './synthetic-results.ts'

// Opens the report in real headless Chromium (Debian's package; scripts/install-chromium.sh): it renders
// offline, every chart is drawn, and the page logs no error. The results are synthetic.
const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium'
const missing = !existsSync(CHROMIUM)
if (missing && process.env.CI === 'true')
  throw new Error(`Chromium not found at ${CHROMIUM}: run scripts/install-chromium.sh (or set CHROMIUM_PATH).`)

const results = syntheticResults({
  environmentNotes: ["pipeline: cpuModel is EPYC, the baseline's was Xeon"],
  suites: [
    syntheticSuite(
      [
        syntheticMetric({ key: 't › p99 <script>alert(1)</script>', interval: [-0.15, -0.05] }),
        syntheticMetric({ key: 't › throughput', change: 0.01, interval: [-0.02, 0.04], verdict: 'unchanged' }),
      ],
      {
        charts: [
          {
            kind: 'latency-cdf',
            label: 'optimized 10000/s',
            points: [
              [0, 1],
              [50, 8],
              [90, 12],
              [99, 17],
              [99.9, 27],
              [100, 40],
            ],
          },
          {
            kind: 'throughput',
            label: 'optimized 10000/s',
            points: [
              [0, 9_800],
              [1, 10_010],
              [2, 9_990],
            ],
          },
        ],
      },
    ),
  ],
})

// The DOM canvas, as far as this test needs it (the project is type-checked without the DOM library).
type Canvas = {
  width: number
  height: number
  getContext(kind: '2d'): { getImageData(...box: number[]): { data: ArrayLike<number> } } | null
}

let dir = ''
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'observatory-html-'))
})
afterAll(async () => {
  await rm(dir, { recursive: true, force: true })
})

test.skipIf(missing)(
  `renders with all charts and no console error in headless Chromium${missing ? ` (skipped: no ${CHROMIUM})` : ''}`,
  async () => {
    const file = join(dir, 'report.html')
    await writeFile(file, renderHtml(results))
    const browser = await chromium.launch({ executablePath: CHROMIUM, args: ['--no-sandbox'] })
    try {
      const page = await browser.newPage()
      const problems: string[] = []
      page.on('console', (message) => {
        if (message.type() === 'error') problems.push(message.text())
      })
      page.on('pageerror', (error) => problems.push(error.message))
      page.on('request', (request) => {
        if (!request.url().startsWith('file:')) problems.push(`network request to ${request.url()}`)
      })
      await page.goto(pathToFileURL(file).href)
      await page.waitForSelector('body[data-charts]', { timeout: 10_000 })
      expect(await page.getAttribute('body', 'data-charts')).toBe('3')
      // Each canvas has pixels drawn on it, not just a size.
      const inked = await page.$$eval('canvas', (canvases) =>
        canvases.map((element) => {
          const c = element as unknown as Canvas
          const { data } = c.getContext('2d')?.getImageData(0, 0, c.width, c.height) ?? { data: [] }
          let alpha = 0
          for (let i = 3; i < data.length; i += 4) if ((data[i] ?? 0) > 0) alpha++
          return alpha
        }),
      )
      expect(inked).toHaveLength(3)
      for (const pixels of inked) expect(pixels).toBeGreaterThan(1000)
      expect(await page.textContent('h1')).toContain('1 metric regressed')
      expect(await page.textContent('table')).toContain('t › p99 <script>alert(1)</script>')
      expect(problems).toEqual([])
    } finally {
      await browser.close()
    }
  },
)
