import type { BaselineComparison, RunSummary } from './pipeline-benchmark.ts'

const FIGURES = ['throughputPerSecond', 'p99Ms', 'peakMemoryMiB', 'cpu'] as const satisfies readonly (keyof RunSummary)[]
const LABELS: Record<(typeof FIGURES)[number], string> = {
  throughputPerSecond: 'throughput',
  p99Ms: 'p99',
  peakMemoryMiB: 'peak memory',
  cpu: 'CPU',
}

/**
 * This run beside the stored report its baselineRef names: each figure's relative change (+0.12 is 12%
 * higher), and a message for the condition. Ratios only, no verdict: one run of each on a shared machine
 * cannot tell a regression from noise; the paired gate (`pnpm bench --against`) can.
 */
export function compareWithBaseline(
  baselineRef: string,
  run: RunSummary,
  baseline: { summary: RunSummary; finishedAt: string },
): Exclude<BaselineComparison, { unavailable: string }> {
  const changes = Object.fromEntries(
    FIGURES.map((f) => [f, baseline.summary[f] > 0 ? Number((run[f] / baseline.summary[f] - 1).toFixed(4)) : null]),
  ) as Record<keyof RunSummary, number | null>
  const text = FIGURES.map((f) => {
    const change = changes[f]
    return `${LABELS[f]} ${change === null ? 'n/a' : `${change >= 0 ? '+' : ''}${(change * 100).toFixed(1)}%`}`
  }).join(', ')
  return { baselineRef, baselineFinishedAt: baseline.finishedAt, changes, message: `against ${baselineRef}: ${text}` }
}
