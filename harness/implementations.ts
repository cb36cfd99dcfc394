import { existsSync } from 'node:fs'
import { join } from 'node:path'

/**
 * The processor implementations under one ingest contract (apps/processor/README.md): the TypeScript one
 * (apps/processor) and the Rust one (apps/processor-rs). A test or suite names the one it starts
 * (ProcessorOptions.implementation); the contract tests run on each.
 */
export const IMPLEMENTATIONS = ['typescript', 'rust'] as const
export type Implementation = (typeof IMPLEMENTATIONS)[number]

/** The implementation a run's suites start (`pnpm bench --implementation NAME`); unset: 'typescript'. */
export const IMPLEMENTATION_ENV = 'BENCH_IMPLEMENTATION'

/** The run's implementation, from IMPLEMENTATION_ENV; an unknown name throws, naming the known ones. */
export function chosenImplementation(env: NodeJS.ProcessEnv = process.env): Implementation {
  const name = env[IMPLEMENTATION_ENV] || 'typescript'
  if (!(IMPLEMENTATIONS as readonly string[]).includes(name))
    throw new Error(`${IMPLEMENTATION_ENV}=${name} is not a processor implementation; use one of ${IMPLEMENTATIONS.join(', ')}.`)
  return name as Implementation
}

/**
 * The name a suite's results, baseline and history go under: the suite's own for the TypeScript processor,
 * `pipeline@rust` for another, so that one implementation's figures are never judged against another's
 * baseline, nor mixed into its series.
 */
export const measuredSuite = (suite: string, implementation: Implementation = chosenImplementation()) =>
  implementation === 'typescript' ? suite : `${suite}@${implementation}`

/** Where scripts/build-processor-rs.sh puts the Rust processor. */
export const RUST_PROCESSOR_BINARY = join(import.meta.dirname, '..', 'apps', 'processor-rs', 'target', 'release', 'processor-rs')

/** Why this implementation cannot start here, and what to do; '' when it can. */
export function implementationUnavailable(implementation: Implementation): string {
  if (implementation === 'rust' && !existsSync(RUST_PROCESSOR_BINARY))
    return `the Rust processor is not built (${RUST_PROCESSOR_BINARY}); run bash scripts/build-processor-rs.sh`
  return ''
}
