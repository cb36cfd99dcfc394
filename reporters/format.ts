import type { JudgedMetric, RunResults } from '../model/results.ts'

const number = new Intl.NumberFormat('en-US', { maximumSignificantDigits: 4 })
const integer = new Intl.NumberFormat('en-US', { maximumFractionDigits: 0 })

export function formatValue(value: number | null, unit: string): string {
  if (value === null) return '—'
  return `${Math.abs(value) >= 1000 ? integer.format(value) : number.format(value)} ${unit}`
}

export function formatChange(change: number | null): string {
  if (change === null) return '—'
  const pct = change * 100
  return `${pct >= 0 ? '+' : ''}${pct.toFixed(1)}%`
}

/** The two figure columns: baseline and this run, or in paired mode the base and head medians. */
export const figureColumns = (results: RunResults): [string, string] =>
  results.mode === 'paired' ? ['base', 'head'] : ['baseline', 'current']

/** `[-6.0, -4.2]`: where the change plausibly lies, in percent. */
export function formatInterval(interval: [number, number] | null): string {
  return interval ? `[${interval.map((x) => (x * 100).toFixed(1)).join(', ')}]` : ''
}

/** The plain cells of one metric row; shared by the console and Markdown renderers. */
export function metricCells(suite: string, m: JudgedMetric): string[] {
  const threshold = m.threshold === null ? '' : ` (±${+(m.threshold * 100).toFixed(1)}%)`
  const interval = m.interval ? ` ${formatInterval(m.interval)}` : ''
  const evidence = [m.pairs === null ? '' : `n=${m.pairs}`, m.normalized ? 'norm.' : ''].filter(Boolean).join(' ')
  return [
    `${suite} › ${m.key}`,
    formatValue(m.baseline, m.unit),
    formatValue(m.value, m.unit),
    formatChange(m.change) + interval + threshold + (evidence ? ` ${evidence}` : ''),
    m.verdict,
  ]
}

const BARS = '▁▂▃▄▅▆▇█'

/** `▃▄▃▃▇`: a metric's recent runs at a glance, scaled between their min and max. */
export function sparkline(values: number[]): string {
  const [lo, hi] = [Math.min(...values), Math.max(...values)]
  return values.map((v) => BARS[hi === lo ? 3 : Math.round(((v - lo) / (hi - lo)) * (BARS.length - 1))]).join('')
}

/** One line per change point found in the suites' histories, newest shift first. */
export function changePointLines(results: RunResults): string[] {
  return results.suites.flatMap((s) =>
    s.metrics.flatMap((m) => {
      const cp = m.history?.changePoint
      if (!cp || !m.history) return []
      const ago = m.history.values.length - cp.index
      return [
        `${s.suite} › ${m.key} shifted ${formatChange(cp.change)} ${ago} run${ago === 1 ? '' : 's'} ago (p = ${cp.pValue.toFixed(3)})`,
      ]
    }),
  )
}

/**
 * One line that says how the run went. A run in which a suite measured nothing is never "No regression":
 * what was not measured cannot have been judged.
 */
export function headline(results: RunResults): string {
  const n = results.summary
  const plural = (k: number, word: string) => `${k} ${word}${k === 1 ? '' : 's'}`
  const incomparable = n.incomparable > 0 ? ` · ${plural(n.incomparable, 'metric')} incomparable (another testbed)` : ''
  if (results.errors.length > 0 || n.failedSuites > 0) return '❌ Benchmarks could not be judged'
  if (n.regressed > 0) return `🔴 ${plural(n.regressed, 'metric')} regressed${incomparable}`
  if (n.skippedSuites > 0) return `⚠️ ${plural(n.skippedSuites, 'suite')} measured nothing · 0 regressed among the rest${incomparable}`
  return `✅ No regression${incomparable}`
}
