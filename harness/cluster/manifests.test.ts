import { expect, test } from 'vitest'
import { appImages, imageImportCopy } from '../k3s/images.ts'
import { pipelineManifests } from './deploy.ts'

test('the pipeline manifests land in the run namespace with the built image tag', () => {
  const manifests = pipelineManifests('po-run-1234', 'pr-42')
  expect(manifests.map((m) => `${m.kind}/${m.metadata?.name}@${m.metadata?.namespace}`)).toEqual([
    'Deployment/processor@po-run-1234',
    'Service/processor@po-run-1234',
    'Deployment/api@po-run-1234',
    'Service/api@po-run-1234',
  ])
  const images = manifests.flatMap(
    (m) =>
      (m as { spec?: { template?: { spec: { containers: { image: string }[] } } } }).spec?.template?.spec.containers.map((c) => c.image) ??
      [],
  )
  expect(images).toEqual(['performance-observatory/processor:pr-42', 'performance-observatory/api:pr-42'])
})

test('app images are saved to one tarball in the directory k3s imports from at start', () => {
  expect(appImages({ BENCH_APP_IMAGE_TAG: 'abc' })).toEqual([
    'performance-observatory/processor:abc',
    'performance-observatory/generator:abc',
    'performance-observatory/api:abc',
    'performance-observatory/operator:abc',
  ])
  expect(imageImportCopy('/tmp/x/apps.tar')).toEqual({
    source: '/tmp/x/apps.tar',
    target: '/var/lib/rancher/k3s/agent/images/performance-observatory-apps.tar',
  })
})

test('the Rust implementation deploys its own image with the same flags, environment and probes', () => {
  const deployment = (implementation: 'typescript' | 'rust') =>
    pipelineManifests('ns', 'pr-42', implementation).find((m) => m.kind === 'Deployment' && m.metadata?.name === 'processor') as {
      spec: { template: { spec: { containers: { image: string }[] } } }
    }
  const [typescript, rust] = [deployment('typescript'), deployment('rust')]
  expect(rust.spec.template.spec.containers[0]?.image).toBe('performance-observatory/processor-rs:pr-42')
  const { image: _t, ...typescriptContainer } = typescript.spec.template.spec.containers[0] as { image: string }
  const { image: _r, ...rustContainer } = rust.spec.template.spec.containers[0] as { image: string }
  expect(rustContainer).toEqual(typescriptContainer)
  // A run on the Rust processor loads its image into the cluster beside the apps'.
  expect(appImages({ BENCH_APP_IMAGE_TAG: 'abc', BENCH_IMPLEMENTATION: 'rust' })).toContain('performance-observatory/processor-rs:abc')
})
