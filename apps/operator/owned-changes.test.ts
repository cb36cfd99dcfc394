import { expect, test } from 'vitest'
import { desiredState } from './desired-state.ts'
import { changesFor, SPEC_HASH_ANNOTATION, withSpecHash } from './owned-changes.ts'
import type { PipelineBenchmark } from './pipeline-benchmark.ts'
import { testBenchmark } from './test-benchmark.ts'

const cr = testBenchmark({ sources: [{ kind: 'iot', rate: 500 }] })
const images = { processor: 'p:1', generator: 'g:1' }
const existingFrom = (spec: PipelineBenchmark['spec'], replicas = 1) =>
  desiredState({ ...cr, spec }, images, replicas, 'db').map((m) => {
    const hashed = withSpecHash(m)
    return {
      kind: m.kind,
      name: m.metadata.name as string,
      specHash: (hashed.metadata.annotations as Record<string, string>)[SPEC_HASH_ANNOTATION],
    }
  })

test('nothing exists: every object is applied', () => {
  expect(changesFor(desiredState(cr, images, 1, 'db'), []).map((c) => c.action)).toEqual(['apply', 'apply', 'apply'])
})

test('everything matches: no write at all', () => {
  expect(changesFor(desiredState(cr, images, 1, 'db'), existingFrom(cr.spec))).toEqual([])
})

test('a changed rate recreates the Job (immutable template); more replicas update the Deployment in place', () => {
  const spec = { ...cr.spec, sources: [{ kind: 'iot' as const, rate: 900 }] }
  const changes = changesFor(desiredState({ ...cr, spec }, images, 2, 'db'), existingFrom(cr.spec))
  expect(changes.map((c) => (c.action === 'delete' ? `delete ${c.name}` : `${c.action} ${c.manifest.metadata.name}`))).toEqual([
    'apply run-processor',
    'recreate run-gen-0-0',
  ])
})

test('an object no longer desired is deleted', () => {
  const twoSources = { ...cr.spec, sources: [...cr.spec.sources, { kind: 'log' as const, rate: 100 }] }
  const changes = changesFor(desiredState(cr, images, 1, 'db'), existingFrom(twoSources))
  expect(changes).toEqual([{ action: 'delete', kind: 'Job', name: 'run-gen-1-0' }])
})
