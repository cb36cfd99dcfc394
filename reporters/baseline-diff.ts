import type { Baseline } from '../model/results.ts'
import { formatChange, formatValue } from './format.ts'
import { escapeMarkdown } from './markdown.ts'

/**
 * The description of a baseline-update pull request: per suite, every metric whose accepted figure moves,
 * and what the new figures rest on, so a reviewer can tell a real shift from a noisy re-measurement.
 */
export function renderBaselineDiff(before: Record<string, Baseline | undefined>, after: Record<string, Baseline>): string {
  const out = ['## Benchmark baselines update', '']
  for (const [suite, next] of Object.entries(after)) {
    const prev = before[suite]
    const rows: string[] = []
    for (const [key, m] of Object.entries(next.metrics)) {
      const old = prev?.metrics[key]
      if (old && old.value === m.value) continue
      const change = old && old.value !== 0 ? (m.value - old.value) / Math.abs(old.value) : null
      rows.push(
        `| ${escapeMarkdown(key)} | ${formatValue(old?.value ?? null, m.unit)} | ${formatValue(m.value, m.unit)} | ${old ? formatChange(change) : 'new'} |`,
      )
    }
    for (const key of Object.keys(prev?.metrics ?? {}))
      if (!(key in next.metrics)) rows.push(`| ${escapeMarkdown(key)} | — | — | removed |`)
    out.push(`### ${suite}`, '')
    if (rows.length === 0) {
      out.push('No figure moved.', '')
      continue
    }
    out.push('| metric | accepted | new | change |', '| --- | ---: | ---: | ---: |', ...rows, '')
    const env = next.environment
    const moved = prev && JSON.stringify({ ...prev.environment, profileReason: '' }) !== JSON.stringify({ ...env, profileReason: '' })
    out.push(
      `Measured ${next.recordedAt} on ${env.cores} × ${env.cpuModel}, ${env.os}, Node ${env.node}, profile ${env.profile}; ` +
        `one run per suite, between-run noise not yet recorded.${moved ? " **The environment differs from the accepted baseline's.**" : ''}`,
      '',
    )
  }
  return `${out.join('\n')}\n`
}
