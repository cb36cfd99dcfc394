import { execFile } from 'node:child_process'
import { promisify } from 'node:util'
import { expect, test } from 'vitest'
import { RUN_LABEL } from '../harness/container-engine.ts'
import { clusterProfileUnavailable } from '../harness/kubernetes.ts'
import { benchResults } from './bench-results.ts'

// `pnpm bench pipeline --profile kube` end to end: an upstream Kubernetes node built from Go modules
// (scripts/test-setup.sh builds its image), the processor and API as real pods on it, PostgreSQL in a
// container beside it. Skipped, with the reason in its name, where the engine or an image is missing.
const run = promisify(execFile)
const why = await clusterProfileUnavailable({ name: 'kube', reason: 'test' })

test.skipIf(why !== '')(
  `pnpm bench pipeline --profile kube runs the pipeline in pods on a real node and leaves nothing${why ? ` (skipped: ${why})` : ''}`,
  { timeout: 600_000 },
  async () => {
    const results = await benchResults(['pipeline', '--profile', 'kube'], { BENCH_PIPELINE_DURATION_S: '3' })
    expect(results.environment.profile).toBe('kube')
    const pipeline = results.suites.find((s) => s.suite === 'pipeline')
    expect(pipeline?.status, pipeline?.reason).toBe('passed')
    const figure = (start: string, test = 'environment') =>
      pipeline?.metrics.find((m) => m.test === test && m.name.startsWith(start))?.value
    expect(figure('upstream Kubernetes v1.34.4 node start, to node Ready')).toBeGreaterThan(0)
    const [p50, p99] = [figure('pod startup p50'), figure('pod startup p99')]
    expect(p50).toBeGreaterThan(0)
    expect(p99).toBeGreaterThanOrEqual(p50 as number)
    expect(figure('pipeline rollout (processor and API ready)')).toBeGreaterThan(0)
    // The optimized scenarios ran against the pods: their no-loss checks held, and they committed events.
    expect(figure('sustained throughput', 'steady 10000 events/s for 3 s, optimized')).toBeGreaterThan(5000)
    expect(figure('events given up', 'steady 10000 events/s for 3 s, optimized')).toBe(0)
    const { stdout: left } = await run('docker', ['ps', '-aq', '--filter', `label=${RUN_LABEL}`])
    expect(left.trim()).toBe('')
  },
)
