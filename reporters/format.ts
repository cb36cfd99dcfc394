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

/** The plain cells of one metric row; shared by the console and Markdown renderers. */
export function metricCells(suite: string, m: JudgedMetric): string[] {
  const tolerance = m.threshold === null ? '' : ` (±${Math.round(m.threshold * 100)}%)`
  return [
    `${suite} › ${m.key}`,
    formatValue(m.baseline, m.unit),
    formatValue(m.value, m.unit),
    formatChange(m.change) + tolerance,
    m.verdict,
  ]
}
