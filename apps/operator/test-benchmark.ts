import { GROUP, type PipelineBenchmark, type PipelineBenchmarkSpec, VERSION } from './pipeline-benchmark.ts'

/** A PipelineBenchmark for unit tests of the pure decisions: one market source unless the spec says otherwise. */
export function testBenchmark(
  spec: Partial<PipelineBenchmarkSpec> = {},
  metadata: Partial<PipelineBenchmark['metadata']> = {},
): PipelineBenchmark {
  return {
    apiVersion: `${GROUP}/${VERSION}`,
    kind: 'PipelineBenchmark',
    metadata: { name: 'run', namespace: 'bench', uid: 'uid-1', generation: 1, ...metadata },
    spec: { sources: [{ kind: 'market', rate: 1000 }], processing: { strategy: 'optimized' }, targets: {}, durationSeconds: 60, ...spec },
  }
}
