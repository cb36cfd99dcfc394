import { readFileSync } from 'node:fs'
import { createRequire } from 'node:module'
import { dirname, join } from 'node:path'

let source: string | undefined

/**
 * Chart.js's browser build, inlined by the self-contained pages: the HTML report and the live page. Read
 * on first use, not at import: most API processes never serve the page.
 */
export function chartJsSource(): string {
  source ??= readFileSync(join(dirname(createRequire(import.meta.url).resolve('chart.js')), 'chart.umd.min.js'), 'utf8')
  return source
}
