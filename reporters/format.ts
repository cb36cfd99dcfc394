import type { JudgedMetric } from './types.ts'

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
