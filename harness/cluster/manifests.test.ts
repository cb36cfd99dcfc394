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
