import type { RuntimeFigures } from '../apps/shared/runtime-window.ts'
import type { Metric } from '../model/metric.ts'

/**
 * Starts a runtime window in an app that serves one (apps/shared/runtime-window.ts); `read()` returns its
 * figures since. An app image from before the window answers 404: no figures, nothing else lost.
 */
export async function runtimeWindowOf(url: string): Promise<{ read(): Promise<RuntimeFigures | undefined> }> {
  const reset = await fetch(`${url}/debug/runtime/reset`, { method: 'POST' })
  await reset.body?.cancel()
  return {
    read: async () => (reset.ok ? ((await (await fetch(`${url}/debug/runtime`)).json()) as RuntimeFigures) : undefined),
  }
}

/**
 * An app's runtime over the load as judged figures that explain a change (Metric.explains). A GC pause p99 over a few dozen collections is nearly
 * their maximum, and the event-loop delay's tail moves with the machine, hence the wide tolerances.
 */
export function runtimeMetrics(app: string, figures: RuntimeFigures | undefined): Metric[] {
  if (!figures) return []
  const lower = (name: string, value: number, unit: string, tolerance: number): Metric => ({
    name: `${app} ${name}`,
    value,
    unit,
    direction: 'lower',
    tolerance,
    explains: true,
  })
  return [
    lower('heap used max', figures.heapUsedMaxMiB, 'MiB', 0.3),
    lower('allocation rate', figures.allocatedMiBPerSecond, 'MiB/s', 0.3),
    lower('GC count', figures.gcCount, 'collections', 0.5),
    lower('GC pause p99', figures.gcPauseP99Ms, 'ms', 1),
    lower('event-loop delay p99', figures.eventLoopDelayP99Ms, 'ms', 1),
  ]
}
