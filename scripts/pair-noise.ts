// `node scripts/pair-noise.ts DIR... [--over FILE] [--out FILE]`: the noise of one run as real paired runs measured it,
// per metric, pooled over the stored pairs of one or more paired runs (results/paired-<time>/, e.g. an A/A
// and an A/B gate of every default suite). The gate simulation draws each run with this noise, and the
// rest of the baseline's between-run noise as a drift the two runs of a pair share
// (reporters/stats/gate-simulation.ts). Written to FILE as JSON, or printed. `--over` starts from an earlier
// output and replaces only the metrics DIR... measured: a suite whose pairs are now measured another way
// (the capacity suite side by side) gets its new noise beside the other suites' as they were.
import { readFileSync, writeFileSync } from 'node:fs'
import { parseArgs } from 'node:util'
import type { MeasuredPairNoise } from '../reporters/stats/gate-simulation.ts'
import { orderGroups, pairedRunNoise, residuals } from '../reporters/stats/pair-residuals.ts'
import { storedPairs } from './stored-pairs.ts'

const { values, positionals } = parseArgs({
  allowPositionals: true,
  options: {
    out: { type: 'string' },
    over: { type: 'string' },
  },
})
if (positionals.length === 0) throw new Error('usage: node scripts/pair-noise.ts results/paired-<time>... [--out FILE]')

const pooled = new Map<string, number[]>()
let pairs = 0
for (const dir of positionals) {
  const stored = storedPairs(dir)
  pairs += stored.length
  for (const suite of stored[0]?.base.suites ?? []) {
    for (const metric of suite.metrics) {
      const groups = orderGroups(stored, suite.suite, metric.key, typeof metric.perCalibration === 'number')
      const rest = residuals(groups)
      const id = `${suite.suite} › ${metric.key}`
      pooled.set(id, [...(pooled.get(id) ?? []), ...rest])
    }
  }
}
const earlier: MeasuredPairNoise = values.over
  ? (JSON.parse(readFileSync(values.over, 'utf8')) as MeasuredPairNoise)
  : { measured: [], pairs: 0, metrics: {} }
const noise: MeasuredPairNoise = {
  measured: [...earlier.measured, ...positionals.map((dir) => dir.replace(/^.*\//, ''))],
  pairs: earlier.pairs + pairs,
  metrics: {
    ...earlier.metrics,
    ...Object.fromEntries(
      [...pooled].filter(([, rest]) => rest.length > 0).map(([id, rest]) => [id, { noise: pairedRunNoise(rest), residuals: rest.length }]),
    ),
  },
}
const text = `${JSON.stringify(noise, null, 2)}\n`
if (values.out) writeFileSync(values.out, text)
else process.stdout.write(text)
console.error(`pair-noise: ${Object.keys(noise.metrics).length} metrics over ${pairs} pairs${values.out ? ` -> ${values.out}` : ''}`)
