import { createHash } from 'node:crypto'
import type { Manifest } from './desired-state.ts'
import { GROUP } from './pipeline-benchmark.ts'

/** Annotation holding the hash of the manifest we last applied: comparing hashes costs no API call. */
export const SPEC_HASH_ANNOTATION = `${GROUP}/spec-hash`

export type Change =
  | { action: 'apply'; manifest: Manifest }
  /** A Job's pod template is immutable: a changed generator is deleted and created anew. */
  | { action: 'recreate'; manifest: Manifest }
  | { action: 'delete'; kind: string; name: string }

/** What exists of a benchmark's owned objects, from the informer caches. */
export interface ExistingObject {
  kind: string
  name: string
  specHash?: string
}

export function withSpecHash(manifest: Manifest): Manifest {
  const hash = createHash('sha256').update(JSON.stringify(manifest)).digest('hex').slice(0, 16)
  const metadata = manifest.metadata as { annotations?: Record<string, string> }
  return { ...manifest, metadata: { ...manifest.metadata, annotations: { ...metadata.annotations, [SPEC_HASH_ANNOTATION]: hash } } }
}

/**
 * The writes that make what exists match what is desired: nothing for an object whose hash matches, so a
 * reconcile of an unchanged benchmark makes no API write at all. Pure, so it is unit-tested.
 */
export function changesFor(desired: Manifest[], existing: ExistingObject[]): Change[] {
  const key = (kind: string, name: string) => `${kind}/${name}`
  const existingByKey = new Map(existing.map((o) => [key(o.kind, o.name), o]))
  const changes: Change[] = []
  for (const raw of desired) {
    const manifest = withSpecHash(raw)
    const name = manifest.metadata.name as string
    const found = existingByKey.get(key(manifest.kind, name))
    const hash = (manifest.metadata.annotations as Record<string, string>)[SPEC_HASH_ANNOTATION]
    if (found?.specHash === hash) continue
    changes.push({ action: found && manifest.kind === 'Job' ? 'recreate' : 'apply', manifest })
  }
  const wanted = new Set(desired.map((m) => key(m.kind, m.metadata.name as string)))
  for (const o of existing) if (!wanted.has(key(o.kind, o.name))) changes.push({ action: 'delete', kind: o.kind, name: o.name })
  return changes
}
