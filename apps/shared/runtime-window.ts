import type { IncomingMessage, ServerResponse } from 'node:http'
import { createHistogram, monitorEventLoopDelay, PerformanceObserver } from 'node:perf_hooks'
import { GCProfiler, getHeapStatistics } from 'node:v8'
import type { FastifyInstance } from 'fastify'

// How a Node process's runtime behaved over a window (one scenario's load): heap, allocation, garbage
// collection and event-loop delay. The processor and the API serve it over HTTP (/debug/runtime); the
// generator reports its whole run in its summary. Node's own instruments only (perf_hooks, v8).

export interface RuntimeFigures {
  seconds: number
  /** The most JS heap in use, sampled every 100 ms and at each collection. */
  heapUsedMaxMiB: number
  /** JS heap allocated per second: what each collection found in use, less what the one before left. */
  allocatedMiBPerSecond: number
  gcCount: number
  gcPauseP99Ms: number
  eventLoopDelayP99Ms: number
}

const MiB = 2 ** 20
const HEAP_SAMPLE_MS = 100
/** How often the event-loop delay is sampled (perf_hooks.monitorEventLoopDelay). */
const DELAY_RESOLUTION_MS = 10
const FOLD_MS = 1000

/** Starts measuring now; `reset()` starts a new window, `read()` returns the figures since its start. */
export function runtimeWindow(): { reset(): void; read(): RuntimeFigures } {
  const delay = monitorEventLoopDelay({ resolution: DELAY_RESOLUTION_MS })
  delay.enable()
  // Bounded whatever the process's age: pauses in a histogram (µs), the GC profiler's records folded into
  // running totals every second (it keeps every collection's heap statistics until stopped).
  const pauses = createHistogram()
  new PerformanceObserver((list) => {
    for (const entry of list.getEntries()) pauses.record(Math.max(1, Math.round(entry.duration * 1000)))
  }).observe({ entryTypes: ['gc'] })
  const used = () => getHeapStatistics().used_heap_size
  let profiler = new GCProfiler()
  // Allocation so far in the window, and what the last collection (or the window's start) left in use.
  let window = { at: performance.now(), allocated: 0, left: used() }
  let heapMax = window.left
  const fold = () => {
    const collections = profiler.stop()?.statistics ?? []
    profiler = new GCProfiler()
    profiler.start()
    for (const gc of collections) {
      const before = gc.beforeGC.heapStatistics.usedHeapSize
      window.allocated += Math.max(0, before - window.left)
      heapMax = Math.max(heapMax, before)
      window.left = gc.afterGC.heapStatistics.usedHeapSize
    }
  }
  setInterval(() => {
    heapMax = Math.max(heapMax, used())
  }, HEAP_SAMPLE_MS).unref()
  setInterval(fold, FOLD_MS).unref()

  profiler.start()
  return {
    reset() {
      fold()
      delay.reset()
      pauses.reset()
      window = { at: performance.now(), allocated: 0, left: used() }
      heapMax = window.left
    },
    read() {
      fold()
      const now = used()
      const allocated = window.allocated + Math.max(0, now - window.left)
      const seconds = (performance.now() - window.at) / 1000
      return {
        seconds,
        heapUsedMaxMiB: Math.max(heapMax, now) / MiB,
        allocatedMiBPerSecond: seconds > 0 ? allocated / MiB / seconds : 0,
        gcCount: pauses.count,
        gcPauseP99Ms: pauses.count > 0 ? pauses.percentile(99) / 1000 : 0,
        // The histogram holds whole timer intervals (an idle loop's p50 is 10.1 ms): the delay is the rest.
        eventLoopDelayP99Ms: Math.max(0, delay.percentile(99) / 1e6 - DELAY_RESOLUTION_MS),
      }
    },
  }
}

/** GET /debug/runtime: the figures since the last POST /debug/runtime/reset (or the start). */
export function serveRuntimeWindow(app: FastifyInstance): void {
  const window = runtimeWindow()
  app.post('/debug/runtime/reset', async () => {
    window.reset()
    return { reset: true }
  })
  app.get('/debug/runtime', async () => window.read())
}

/** The same two routes for a plain node:http server (the operator's): true when it answered the request. */
export function runtimeWindowHandler(): (request: IncomingMessage, response: ServerResponse) => boolean {
  const window = runtimeWindow()
  return (request, response) => {
    const json = (body: object) => response.setHeader('content-type', 'application/json').end(JSON.stringify(body))
    if (request.method === 'POST' && request.url === '/debug/runtime/reset') {
      window.reset()
      json({ reset: true })
      return true
    }
    if (request.method === 'GET' && request.url === '/debug/runtime') {
      json(window.read())
      return true
    }
    return false
  }
}
