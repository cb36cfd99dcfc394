import type { CpuProfileRecord, FlameNode } from '../model/metric.ts'

// From a V8 CPU profile (the .cpuprofile format) to what the reports show: the functions by self time and a
// pruned call tree for the flame graph. Pure; harness/cpu-profile.ts captures the profiles.

/** The fields of V8's Profiler.Profile this reads (Chrome DevTools protocol). */
export interface V8CpuProfile {
  nodes: { id: number; callFrame: { functionName: string; url: string; lineNumber: number }; children?: number[] }[]
  startTime: number
  endTime: number
  samples?: number[]
  timeDeltas?: number[]
}

/** Functions kept per profile: enough for a paired run to compare head with base (reporters/profile-diff.ts). */
const TOP_FUNCTIONS = 30
/** Frames under this share of all samples are left out of the flame graph, which keeps a report small. */
const FLAME_MIN_SHARE = 0.002
const IDLE = '(idle)'

type Summary = Omit<CpuProfileRecord, 'test' | 'app' | 'file'>

export function summarizeCpuProfile(profile: V8CpuProfile): Summary {
  const byId = new Map(profile.nodes.map((n) => [n.id, n]))
  const self = new Map<number, number>()
  for (const id of profile.samples ?? []) self.set(id, (self.get(id) ?? 0) + 1)
  const samples = profile.samples?.length ?? 0
  const idle = profile.nodes.filter((n) => n.callFrame.functionName === IDLE).reduce((sum, n) => sum + (self.get(n.id) ?? 0), 0)
  const busy = samples - idle

  // Time in Node's and V8's built-ins (performance.now, a socket's writev) counts for the nearest caller
  // in the app's or a library's own code: that is the function a reader can change. GC and (program) stay.
  const parent = new Map<number, number>()
  for (const n of profile.nodes) for (const child of n.children ?? []) parent.set(child, n.id)
  const ownCode = (id: number) => byId.get(id)?.callFrame.url.startsWith('file:') === true
  const chargedTo = (id: number) => {
    for (let at: number | undefined = id; at !== undefined; at = parent.get(at)) if (ownCode(at)) return at
    return id
  }
  const perFunction = new Map<string, { function: string; location: string; samples: number }>()
  for (const [sampled, count] of self) {
    const id = chargedTo(sampled)
    const frame = byId.get(id)?.callFrame
    if (!frame || frame.functionName === IDLE) continue
    const location = locationOf(frame)
    const name = frame.functionName || '(anonymous)'
    const key = `${name} ${location}`
    const entry = perFunction.get(key) ?? { function: name, location, samples: 0 }
    entry.samples += count
    perFunction.set(key, entry)
  }
  const top = [...perFunction.values()]
    .sort((a, b) => b.samples - a.samples)
    .slice(0, TOP_FUNCTIONS)
    .map((f) => ({ function: f.function, location: f.location, selfShare: busy > 0 ? f.samples / busy : 0 }))

  // Inclusive samples per node, children first (the profile's nodes form a tree from the first).
  const total = new Map<number, number>()
  const inclusive = (id: number): number => {
    const node = byId.get(id)
    const value = (self.get(id) ?? 0) + (node?.children ?? []).reduce((sum, child) => sum + inclusive(child), 0)
    total.set(id, value)
    return value
  }
  const root = profile.nodes[0]
  if (root) inclusive(root.id)
  const minimum = Math.max(1, busy * FLAME_MIN_SHARE)
  const flameOf = (id: number): FlameNode => {
    const node = byId.get(id)
    const frame = node?.callFrame
    const children = (node?.children ?? [])
      .filter((child) => byId.get(child)?.callFrame.functionName !== IDLE && (total.get(child) ?? 0) >= minimum)
      .map(flameOf)
    return { name: frameName(frame), value: id === root?.id ? busy : (total.get(id) ?? 0), children }
  }
  return {
    durationMs: (profile.endTime - profile.startTime) / 1000,
    samples,
    busyShare: samples > 0 ? busy / samples : 0,
    top,
    flame: root ? flameOf(root.id) : { name: '(root)', value: 0, children: [] },
  }
}

function frameName(frame: V8CpuProfile['nodes'][number]['callFrame'] | undefined): string {
  if (!frame) return '(unknown)'
  const name = frame.functionName || '(anonymous)'
  const location = locationOf(frame)
  return location ? `${name} ${location}` : name
}

/** `apps/processor/server.ts:133`, or empty for V8's own frames such as (garbage collector). */
function locationOf(frame: V8CpuProfile['nodes'][number]['callFrame']): string {
  return frame.url ? `${shortUrl(frame.url)}:${frame.lineNumber + 1}` : ''
}

/** A script's path from the repository (apps/processor/validate.ts) or from node_modules, not the machine's. */
function shortUrl(url: string): string {
  const path = url.replace(/^file:\/\//, '')
  const modules = path.lastIndexOf('/node_modules/')
  if (modules >= 0) return path.slice(modules + 1).replace(/^node_modules\/\.pnpm\/[^/]+\/node_modules\//, 'node_modules/')
  const apps = path.lastIndexOf('/apps/')
  return apps >= 0 ? path.slice(apps + 1) : path
}
