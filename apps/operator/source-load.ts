import type { LoadShape } from '../generator/rate-pattern.ts'
import type { PipelineBenchmarkSpec } from './pipeline-benchmark.ts'

type Source = PipelineBenchmarkSpec['sources'][number]

/**
 * The generator flags for one stream of a source: its event kind, its rate as a load shape, and its
 * payload sizes. The CRD names a pattern; its parameters follow from the stream's rate and the run's
 * length, so `rate` is always the base the pattern moves around:
 *   steady    the rate throughout
 *   periodic  rate x (1 +/- 0.5), four periods per run
 *   bursty    1 s at 4 x rate every 4 s
 *   diurnal   one compressed trading day per run: rate/10 overnight, rate in market hours
 *   chaos     a new rate in [rate/2, 3 x rate/2] every second
 */
export function sourceArgs(source: Source, streamRate: number, durationSeconds: number): string[] {
  const args = [`--mix=${source.kind}=1`, `--shape=${JSON.stringify(loadShape(source.pattern ?? 'steady', streamRate, durationSeconds))}`]
  if (source.sizeBytes) {
    const { distribution, min, max } = source.sizeBytes
    args.push(`--size-distribution=${distribution}`, `--size-min=${min}`, `--size-max=${max}`)
  }
  return args
}

function loadShape(pattern: string, rate: number, durationSeconds: number): LoadShape {
  switch (pattern) {
    case 'periodic':
      return { pattern: { kind: 'periodic', rate, amplitude: 0.5, periodS: Math.max(1, durationSeconds / 4) } }
    case 'bursty':
      return { pattern: { kind: 'bursty', rate, burstRate: 4 * rate, burstS: 1, quietS: 3 } }
    case 'diurnal':
      return { pattern: { kind: 'diurnal', rate: Math.max(1, Math.round(rate / 10)), peakRate: rate, dayS: durationSeconds } }
    case 'chaos':
      return {
        pattern: { kind: 'chaos', minRate: Math.max(1, Math.round(rate / 2)), maxRate: Math.round((3 * rate) / 2), changeEveryS: 1 },
      }
    default:
      return { pattern: { kind: 'steady', rate } }
  }
}
