import { existsSync } from 'node:fs'
import { join } from 'node:path'

/**
 * The processor implementations under one ingest contract (apps/processor/README.md): the TypeScript one
 * (apps/processor) and the Rust one (apps/processor-rs). A test or suite names the one it starts
 * (ProcessorOptions.implementation); the contract tests run on each.
 */
export const IMPLEMENTATIONS = ['typescript', 'rust'] as const
export type Implementation = (typeof IMPLEMENTATIONS)[number]

/** Where scripts/build-processor-rs.sh puts the Rust processor. */
export const RUST_PROCESSOR_BINARY = join(import.meta.dirname, '..', 'apps', 'processor-rs', 'target', 'release', 'processor-rs')

/** Why this implementation cannot start here, and what to do; '' when it can. */
export function implementationUnavailable(implementation: Implementation): string {
  if (implementation === 'rust' && !existsSync(RUST_PROCESSOR_BINARY))
    return `the Rust processor is not built (${RUST_PROCESSOR_BINARY}); run bash scripts/build-processor-rs.sh`
  return ''
}
