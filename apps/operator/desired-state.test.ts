import { expect, test } from 'vitest'
import { pipelineManifests } from '../../harness/cluster/deploy.ts'
import { desiredState, type Manifest } from './desired-state.ts'
import { testBenchmark } from './test-benchmark.ts'

const cr = testBenchmark(
  {
    sources: [
      { kind: 'market', rate: 10_000 },
      { kind: 'market', rate: 3_000 },
    ],
    processing: { strategy: 'optimized', batchSize: 1000 },
    targets: { maxP99Ms: 50 },
    durationSeconds: 120,
    concurrentStreams: 2,
  },
  { name: 'nightly', generation: 3 },
)
const images = { processor: 'observatory/processor:dev', generator: 'observatory/generator:dev' }
const byKind = (manifests: Manifest[], kind: string) => manifests.filter((m) => m.kind === kind)

test('a processor Deployment and Service, and a Job per source and stream, all owned by the CR', () => {
  const manifests = desiredState(cr, images, 2, 'db')
  expect(manifests.map((m) => `${m.kind}/${m.metadata.name}`)).toEqual([
    'Deployment/nightly-processor',
    'Service/nightly-processor',
    'Job/nightly-gen-0-0',
    'Job/nightly-gen-0-1',
    'Job/nightly-gen-1-0',
    'Job/nightly-gen-1-1',
  ])
  for (const m of manifests) expect(m.metadata.ownerReferences).toEqual([expect.objectContaining({ uid: 'uid-1', controller: true })])
})

test('streams share a source rate, and each stream has its own source id and seed', () => {
  type JobSpec = { template: { spec: { containers: { args: string[] }[] } } }
  const args = byKind(desiredState(cr, images, 1, 'db'), 'Job').map((j) => (j.spec as JobSpec).template.spec.containers[0]?.args ?? [])
  const rate = (jobArgs: string[]) =>
    JSON.parse(jobArgs.find((a) => a.startsWith('--shape='))?.slice('--shape='.length) ?? '{}').pattern.rate
  expect(rate(args[0] as string[])).toBe(5000)
  expect(rate(args[2] as string[])).toBe(1500)
  expect(new Set(args.map((a) => a.find((arg) => arg.startsWith('--seed=')))).size).toBe(4)
})

test('the same spec always gives the same objects: reconcile can run any number of times', () => {
  expect(desiredState(cr, images, 2, 'db')).toEqual(desiredState(cr, images, 2, 'db'))
})

test('every container runs non-root, read-only, without capabilities, with requests and limits', () => {
  for (const m of desiredState(cr, images, 1, 'db')) {
    const pod = (m.spec.template as { spec?: { securityContext: object; containers: Record<string, unknown>[] } } | undefined)?.spec
    if (!pod) continue
    expect(pod.securityContext).toMatchObject({ runAsNonRoot: true })
    for (const c of pod.containers) {
      expect(c.securityContext).toEqual({ allowPrivilegeEscalation: false, readOnlyRootFilesystem: true, capabilities: { drop: ['ALL'] } })
      expect(c.resources).toMatchObject({ requests: expect.any(Object), limits: expect.any(Object) })
      expect(c.imagePullPolicy).toBe('IfNotPresent')
    }
  }
})

test('replicas and strategy come from the reconcile decision and the spec', () => {
  const [deployment] = desiredState(cr, images, 3, 'db')
  expect(deployment?.spec.replicas).toBe(3)
  expect(JSON.stringify(deployment?.spec)).toContain('--strategy=optimized')
})

test("the processor is replaced and scaled down as the pipeline manifest's is: surge first, a preStop pause, then a drain", () => {
  type Container = { name: string; lifecycle?: object; env?: { name: string; value?: string }[] }
  type Deployment = {
    kind: string
    metadata?: { name?: string }
    spec: { strategy?: object; template: { spec: { containers: Container[] } } }
  }
  const shipped = pipelineManifests('ns', 'dev').find((o) => o.kind === 'Deployment' && o.metadata?.name === 'processor') as Deployment
  const [operators] = desiredState(cr, images, 1, 'db') as unknown as Deployment[]
  const processor = (d: Deployment | undefined) => d?.spec.template.spec.containers.find((c) => c.name === 'processor')
  const drain = (d: Deployment | undefined) => processor(d)?.env?.find((e) => e.name === 'SHUTDOWN_DRAIN_MS')?.value
  expect(drain(shipped)).toBeDefined()
  expect(drain(operators)).toBe(drain(shipped))
  expect(processor(operators)?.lifecycle).toEqual(processor(shipped)?.lifecycle)
  expect(operators?.spec.strategy).toEqual(shipped.spec.strategy)
})
