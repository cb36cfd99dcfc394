import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import { expect, test } from 'vitest'
import { parseAllDocuments } from 'yaml'
import { desiredState } from '../operator/desired-state.ts'
import { testBenchmark } from '../operator/test-benchmark.ts'

// Every manifest we ship or generate, validated against the Kubernetes API's own JSON Schemas (the
// kubernetes-models package is generated from the OpenAPI spec): a misspelt or misplaced field fails here,
// not at deploy time in CI.
type Manifest = { apiVersion: string; kind: string; metadata?: { name?: string }; spec?: Record<string, unknown> }

async function validate(manifest: Manifest): Promise<void> {
  const [group, version] = manifest.apiVersion.includes('/') ? manifest.apiVersion.split('/') : ['', manifest.apiVersion]
  const module = await import(`kubernetes-models/${group ? `${group}/` : ''}${version}/${manifest.kind}`)
  const Model = module[manifest.kind] as new (data: unknown) => { validate(): void }
  new Model(manifest).validate()
}

const shipped = ['manifests/pipeline.yaml', 'operator/manifests/operator.yaml', 'operator/manifests/crd.yaml'].flatMap((file) =>
  parseAllDocuments(readFileSync(join(import.meta.dirname, '..', file), 'utf8')).map((d) => ({ file, manifest: d.toJS() as Manifest })),
)
const benchmark = testBenchmark(
  {
    sources: [
      { kind: 'market', rate: 5000 },
      { kind: 'log', rate: 100 },
    ],
    processing: { strategy: 'optimized', replicas: { min: 1, max: 3 } },
    targets: { maxP99Ms: 50 },
    concurrentStreams: 2,
  },
  { name: 'nightly' },
)
const generated = desiredState(benchmark, { processor: 'p:dev', generator: 'g:dev' }, 2, 'db').map((manifest) => ({
  file: 'desiredState()',
  manifest: manifest as Manifest,
}))

test.each(
  [...shipped, ...generated].map(({ file, manifest }) => [`${file}: ${manifest.kind}/${manifest.metadata?.name}`, manifest] as const),
)('%s is valid against the Kubernetes schema', async (_, manifest) => {
  await validate(manifest)
})

test('the validation catches a wrong field type (so the checks above can fail)', async () => {
  const broken = structuredClone(shipped.find((s) => s.manifest.kind === 'Deployment')?.manifest as Manifest)
  ;(broken.spec as { replicas: unknown }).replicas = 'two'
  await expect(validate(broken)).rejects.toThrow(/replicas/)
})

test('every container in what we ship and generate runs non-root, read-only, without privileges, with limits and probes', () => {
  const podSpecs = [...shipped, ...generated].flatMap(({ manifest }) => {
    const template = (manifest.spec as { template?: { spec: PodSpec } } | undefined)?.template
    return template ? [{ name: `${manifest.kind}/${manifest.metadata?.name}`, pod: template.spec, kind: manifest.kind }] : []
  })
  expect(podSpecs.length).toBeGreaterThanOrEqual(5)
  for (const { name, pod, kind } of podSpecs) {
    expect(pod.securityContext?.runAsNonRoot, name).toBe(true)
    for (const c of pod.containers) {
      expect(c.securityContext, name).toMatchObject({
        allowPrivilegeEscalation: false,
        readOnlyRootFilesystem: true,
        capabilities: { drop: ['ALL'] },
      })
      expect(c.resources?.limits?.memory, name).toBeDefined()
      expect(c.resources?.requests?.cpu, name).toBeDefined()
      // Jobs run to completion: probes are for long-running servers.
      if (kind === 'Deployment') expect(c.readinessProbe && c.livenessProbe, name).toBeDefined()
    }
  }
})

type PodSpec = {
  securityContext?: { runAsNonRoot?: boolean }
  containers: {
    securityContext?: object
    resources?: { limits?: { memory?: string }; requests?: { cpu?: string } }
    readinessProbe?: object
    livenessProbe?: object
  }[]
}
