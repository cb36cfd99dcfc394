import { expect, test } from 'vitest'
import { implementationUnavailable } from '../harness/implementations.ts'
import { kubeProfile } from '../harness/kube/profile.ts'
import { benchResults } from './bench-results.ts'
import { containersLeftBy } from './labelled-containers.ts'

// `pnpm bench pipeline --profile kube` end to end: an upstream Kubernetes node built from Go modules
// (scripts/test-setup.sh builds its image), the processor and API as real pods on it, PostgreSQL in a
// container beside it. Skipped, with the reason in its name, where the engine or an image is missing.
const why = await kubeProfile.unavailable()

test.skipIf(why !== '')(
  `pnpm bench pipeline --profile kube runs the pipeline in pods on a real node and leaves nothing${why ? ` (skipped: ${why})` : ''}`,
  { timeout: 600_000 },
  async () => {
    const { value: results, left } = await containersLeftBy(() =>
      benchResults(['pipeline', '--profile', 'kube'], { BENCH_PIPELINE_DURATION_S: '3' }),
    )
    expect(results.environment.profile).toBe('kube')
    const pipeline = results.suites.find((s) => s.suite === 'pipeline')
    expect(pipeline?.status, pipeline?.reason).toBe('passed')
    const figure = (start: string, test = 'environment') =>
      pipeline?.metrics.find((m) => m.test === test && m.name.startsWith(start))?.value
    expect(figure('upstream Kubernetes node start, to node Ready')).toBeGreaterThan(0)
    // The version comes from the API server itself, into the fingerprint.
    expect(results.environment.kubernetes).toMatch(/^v1\.\d+\.\d+/)
    expect(figure('pipeline rollout (processor and API ready)')).toBeGreaterThan(0)
    // The optimized scenarios ran against the pods: their no-loss checks held, and they committed events.
    expect(figure('sustained throughput', 'steady 10000 events/s for 3 s, optimized')).toBeGreaterThan(5000)
    expect(figure('events given up', 'steady 10000 events/s for 3 s, optimized')).toBe(0)
    expect(figure('processor heap used max', 'steady 10000 events/s for 3 s, optimized')).toBeGreaterThan(0)
    expect(left).toEqual([])
  },
)

const rustWhy = why || implementationUnavailable('rust')
test.skipIf(rustWhy !== '')(
  `pnpm bench pipeline --profile kube --implementation rust runs the Rust processor's image in a pod${rustWhy ? ` (skipped: ${rustWhy})` : ''}`,
  { timeout: 600_000 },
  async () => {
    const { value: results, left } = await containersLeftBy(() =>
      benchResults(['pipeline', '--profile', 'kube', '--implementation', 'rust'], { BENCH_PIPELINE_DURATION_S: '3' }),
    )
    const pipeline = results.suites.find((s) => s.suite === 'pipeline@rust')
    expect(pipeline?.status, pipeline?.reason).toBe('passed')
    const scenario = 'steady 10000 events/s for 3 s, optimized'
    const figure = (name: string) => pipeline?.metrics.find((m) => m.test === scenario && m.name === name)?.value
    expect(figure('sustained throughput')).toBeGreaterThan(5000)
    expect(figure('events given up')).toBe(0)
    // The pod ran the Rust image: Node's heap figures (the TypeScript processor's /debug/runtime) are absent.
    expect(figure('processor heap used max')).toBeUndefined()
    expect(left).toEqual([])
  },
)

test.skipIf(why !== '')(
  `pnpm bench operator --profile kube installs the operator in a pod and runs a benchmark end to end${why ? ` (skipped: ${why})` : ''}`,
  { timeout: 900_000 },
  async () => {
    const { value: results, left } = await containersLeftBy(() => benchResults(['operator', '--profile', 'kube'], {}))
    const operator = results.suites.find((s) => s.suite === 'operator')
    expect(operator?.status, operator?.reason).toBe('passed')
    const figure = (start: string) => operator?.metrics.find((m) => m.name.startsWith(start))?.value
    const [p50, p99] = [figure('pod startup p50'), figure('pod startup p99')]
    expect(p50).toBeGreaterThan(0)
    expect(p99).toBeGreaterThanOrEqual(p50 as number)
    // The latency policy scaled it up within the 60 s cooldown's first look (10 s requeue, two scrapes).
    expect(figure('scale-up decision ms')).toBeLessThan(60_000)
    expect(figure('scaled-up replica ready ms')).toBeGreaterThan(0)
    expect(figure('throughput share of target')).toBeGreaterThan(0.9)
    expect(figure('event latency p99 ms')).toBeGreaterThan(1)
    expect(left).toEqual([])
  },
)

test.skipIf(why !== '')(
  `pnpm bench resilience --profile kube loses no event when a pod is deleted and fails no request in a rolling update${why ? ` (skipped: ${why})` : ''}`,
  { timeout: 900_000 },
  async () => {
    const { value: results, left } = await containersLeftBy(() => benchResults(['resilience', '--profile', 'kube'], {}))
    const resilience = results.suites.find((s) => s.suite === 'resilience')
    expect(resilience?.status, resilience?.reason).toBe('passed')
    const figure = (test: string, name: string) => resilience?.metrics.find((m) => m.test.startsWith(test) && m.name === name)?.value
    // The suite itself throws on a lost event, a given-up batch, or a failed request in the rolling update.
    expect(figure('a processor pod deleted', 'replacement pod ready after a delete')).toBeGreaterThan(0)
    expect(figure('a rolling update', 'rolling update under load')).toBeGreaterThan(0)
    expect(figure('a rolling update', 'requests retried')).toBe(0)
    expect(left).toEqual([])
  },
)
