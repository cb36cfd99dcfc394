import { createServer, type Server } from 'node:http'
import type { Informer, KubeConfig, KubernetesObject } from '@kubernetes/client-node'
import { runtimeWindowHandler } from '../shared/runtime-window.ts'
import { KubeApi } from './kube-api.ts'
import { createOperatorMetrics, type OperatorMetrics } from './operator-metrics.ts'
import { Reconciler, type ReconcilerOptions } from './reconciler.ts'
import { WorkQueue } from './work-queue.ts'

export interface ControllerOptions extends ReconcilerOptions {
  /** Benchmarks reconciled at once; each key is still one at a time. */
  concurrency?: number
  /** Port for /metrics and /healthz; 0 picks a free one. */
  metricsPort?: number
  /** Requests per second to the API server besides the informers' watches (default 50). */
  apiWritesPerSecond?: number
  log?: (line: string) => void
}

/**
 * The operator: informers on PipelineBenchmarks and the objects they own feed one work queue; every event
 * queues its benchmark's key, and the reconciler makes the cluster match. Start returns once the caches
 * are filled, so the first reconciles see everything that exists.
 */
export class Controller {
  readonly metrics: OperatorMetrics
  readonly #kc: KubeConfig
  readonly #options: ControllerOptions
  readonly #requeueTimers = new Map<string, NodeJS.Timeout>()
  #queue: WorkQueue | undefined
  #informers: ReturnType<KubeApi['informers']> | undefined
  #server: Server | undefined
  #stopped = false

  constructor(kc: KubeConfig, options: ControllerOptions) {
    this.#kc = kc
    this.#options = options
    this.metrics = createOperatorMetrics(() => this.#queue?.depth ?? 0)
  }

  /** Resolves with the metrics server's port once the caches are filled and the server listens. */
  async start(): Promise<number> {
    const log = this.#options.log ?? (() => {})
    const api = new KubeApi(this.#kc, this.metrics, this.#options.apiWritesPerSecond)
    const informers = api.informers()
    this.#informers = informers
    const reconciler = new Reconciler(api, informers, this.#options)
    const queue = new WorkQueue(
      async (key) => {
        const started = performance.now()
        this.metrics.reconciles.inc()
        try {
          const { requeueAfterMs } = await reconciler.reconcile(key)
          if (requeueAfterMs !== undefined) this.#requeueAfter(key, requeueAfterMs)
        } catch (error) {
          this.metrics.reconcileErrors.inc()
          log(`reconcile ${key} failed, retrying with backoff: ${(error as Error).message}`)
          throw error
        } finally {
          const seconds = (performance.now() - started) / 1000
          this.metrics.reconcileSeconds.observe(seconds)
          this.metrics.reconcileQuantiles.observe(seconds)
        }
      },
      // Backoff capped at 10 s: after an API server outage, work resumes within seconds of its return.
      { concurrency: this.#options.concurrency ?? 4, maxBackoffMs: 10_000 },
    )
    this.#queue = queue

    const enqueueSelf = (o: KubernetesObject) => queue.add(`${o.metadata?.namespace}/${o.metadata?.name}`)
    const enqueueOwner = (o: KubernetesObject) => {
      const owner = o.metadata?.ownerReferences?.find((r) => r.kind === 'PipelineBenchmark')
      if (owner) queue.add(`${o.metadata?.namespace}/${owner.name}`)
    }
    const on = (informer: Informer<KubernetesObject>, handler: (o: KubernetesObject) => void) => {
      informer.on('add', handler)
      informer.on('update', handler)
      informer.on('delete', handler)
    }
    on(informers.benchmarks, enqueueSelf)
    for (const owned of [informers.deployments, informers.services, informers.jobs]) on(owned as Informer<KubernetesObject>, enqueueOwner)
    for (const [name, informer] of Object.entries(informers)) {
      // client-node's informer stops on an error other than 410 Gone (e.g. the API server restarting) and
      // leaves restarting to us: again after 1 s, doubling to 30 s while it keeps failing.
      let delayMs = 1000
      let failed = false
      informer.on('error', (error) => {
        if (this.#stopped) return
        failed = true
        log(`${name} watch failed, restarting in ${delayMs} ms: ${(error as Error)?.message ?? error}`)
        const timer = setTimeout(() => void informer.start(), delayMs)
        timer.unref()
        delayMs = Math.min(30_000, delayMs * 2)
      })
      informer.on('connect', () => {
        delayMs = 1000
        // Back after an outage: look at every benchmark again rather than wait out each key's backoff.
        if (failed) for (const cr of informers.benchmarks.list()) enqueueSelf(cr)
        failed = false
        this.metrics.apiRequests.inc({ verb: 'watch' })
      })
    }
    await Promise.all(Object.values(informers).map((i) => i.start()))

    const runtime = runtimeWindowHandler()
    this.#server = createServer(async (request, response) => {
      if (runtime(request, response)) return
      if (request.url === '/metrics') {
        response.setHeader('content-type', this.metrics.registry.contentType)
        response.end(await this.metrics.registry.metrics())
      } else if (request.url === '/healthz') response.end('ok')
      else response.writeHead(404).end()
    })
    const server = this.#server
    await new Promise<void>((resolve) => server.listen(this.#options.metricsPort ?? 0, resolve))
    const address = server.address()
    return typeof address === 'object' && address ? address.port : 0
  }

  async stop(): Promise<void> {
    this.#stopped = true
    for (const timer of this.#requeueTimers.values()) clearTimeout(timer)
    this.#requeueTimers.clear()
    this.#queue?.stop()
    await Promise.all(Object.values(this.#informers ?? {}).map((i) => i.stop()))
    await new Promise((resolve) => (this.#server ? this.#server.close(resolve) : resolve(undefined)))
  }

  #requeueAfter(key: string, ms: number): void {
    clearTimeout(this.#requeueTimers.get(key))
    const timer = setTimeout(() => {
      this.#requeueTimers.delete(key)
      this.#queue?.add(key)
    }, ms)
    timer.unref()
    this.#requeueTimers.set(key, timer)
  }
}
