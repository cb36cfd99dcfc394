import { isDeepStrictEqual } from 'node:util'
import type { V1Deployment, V1Job, V1Service } from '@kubernetes/client-node'
import { type Observed, statusFor } from './conditions.ts'
import { desiredState, type Images } from './desired-state.ts'
import { isConflict, type KubeApi } from './kube-api.ts'
import { changesFor, type ExistingObject, SPEC_HASH_ANNOTATION } from './owned-changes.ts'
import { FINALIZER, type PipelineBenchmark, type PipelineBenchmarkStatus } from './pipeline-benchmark.ts'
import type { ReportStore } from './report-store.ts'
import { type ProcessorCounters, processorCounters, runResultsFromMetrics } from './run-results.ts'
import { type ObservedLoad, scalingDecision } from './scaling.ts'

/** Informer caches: reconcile reads only these, never LISTs. */
export interface Caches {
  benchmarks: { get(name: string, namespace?: string): PipelineBenchmark | undefined }
  deployments: { list(namespace?: string): readonly V1Deployment[] }
  services: { list(namespace?: string): readonly V1Service[] }
  jobs: { list(namespace?: string): readonly V1Job[] }
}

export interface ReconcilerOptions {
  images: Images
  databaseUrlSecret: string
  /** Where a finished run's full report is written; none keeps only the status summary. */
  reports?: ReportStore
  now?: () => Date
}

const API_VERSION_OF_KIND: Record<string, string> = { Deployment: 'apps/v1', Service: 'v1', Job: 'batch/v1' }

/**
 * One level-triggered pass for one benchmark: finalizer, owned objects, results, scaling, status. Each
 * write is skipped when what exists already matches, so reconciling twice costs no second write. Returns
 * when to look again while the run is in progress (scaling needs fresh figures, not only events).
 */
export class Reconciler {
  readonly #api: KubeApi
  readonly #caches: Caches
  readonly #options: ReconcilerOptions
  readonly #lastScrape = new Map<string, { atMs: number; counters: ProcessorCounters }>()

  constructor(api: KubeApi, caches: Caches, options: ReconcilerOptions) {
    this.#api = api
    this.#caches = caches
    this.#options = options
  }

  async reconcile(key: string): Promise<{ requeueAfterMs?: number }> {
    const [namespace, name] = key.split('/') as [string, string]
    const cr = this.#caches.benchmarks.get(name, namespace)
    if (!cr) {
      this.#lastScrape.delete(key)
      return {}
    }
    const owned = this.#owned(cr)
    const existing = existingObjects(owned)
    const finalizers = cr.metadata.finalizers ?? []

    if (cr.metadata.deletionTimestamp) {
      if (!finalizers.includes(FINALIZER)) return {}
      // Delete what we created before letting the CR go, so nothing outlives it even where garbage
      // collection is slow or off; then drop our finalizer.
      for (const o of existing) await this.#api.delete(API_VERSION_OF_KIND[o.kind] as string, o.kind, namespace, o.name)
      await this.#writeFresh(cr, (c) =>
        this.#api.replaceBenchmark({
          ...c,
          metadata: { ...c.metadata, finalizers: (c.metadata.finalizers ?? []).filter((f) => f !== FINALIZER) },
        }),
      )
      return {}
    }
    if (!finalizers.includes(FINALIZER)) {
      // The update brings the CR back through the informer, and the next pass carries on.
      await this.#writeFresh(cr, (c) =>
        this.#api.replaceBenchmark({ ...c, metadata: { ...c.metadata, finalizers: [...(c.metadata.finalizers ?? []), FINALIZER] } }),
      )
      return {}
    }

    const status: PipelineBenchmarkStatus = { ...cr.status }
    const minReplicas = cr.spec.processing.replicas?.min ?? 1
    status.replicas ??= minReplicas
    let applyError: unknown
    try {
      await this.#applyChanges(cr, existing, status.replicas)
    } catch (error) {
      applyError = error
    }

    const observed = this.#observe(cr, owned)
    if (applyError) {
      // Say in the status what failed (kubectl describe shows it), then fail the pass so it is retried;
      // no results or scaling on a half-written benchmark.
      observed.applyError = (applyError as Error).message
    } else if (observed.jobs.total > 0 && observed.jobs.succeeded === observed.jobs.total) {
      await this.#collectResults(cr, observed)
    } else if (observed.processorReadyReplicas > 0 && canScale(cr)) {
      await this.#scale(cr, observed, status)
    }

    const now = (this.#options.now ?? (() => new Date()))().toISOString()
    const next = statusFor({ ...cr, status }, observed, now)
    if (next.phase === 'Running') next.startedAt ??= now
    // The report first: if the status write then fails, the retry writes the same report again (an upsert).
    const finished = next.phase === 'Completed' || next.phase === 'Failed'
    if (finished && cr.status?.phase !== next.phase) await this.#options.reports?.save(cr, next)
    // Deep equality, not JSON text: the API server returns keys in its own order.
    if (!isDeepStrictEqual(next, cr.status)) await this.#writeFresh(cr, (c) => this.#api.replaceStatus(c, next))
    if (applyError) throw applyError
    return next.phase === 'Running' || next.phase === 'Pending' ? { requeueAfterMs: 10_000 } : {}
  }

  /**
   * A write with the cached copy; on 409 Conflict, once more with a fresh GET of the object, unless its
   * spec changed meanwhile (then the conflict stands and the retry reconciles the new spec). A watch that
   * lags after an API server restart would otherwise fail every write until it caught up.
   */
  async #writeFresh(cr: PipelineBenchmark, write: (latest: PipelineBenchmark) => Promise<unknown>): Promise<void> {
    try {
      await write(cr)
    } catch (error) {
      if (!isConflict(error)) throw error
      const latest = await this.#api.readBenchmark(cr.metadata.namespace, cr.metadata.name)
      if (latest.metadata.generation !== cr.metadata.generation) throw error
      await write(latest)
    }
  }

  /** This benchmark's Deployment, Service and Jobs, from the caches: labelled with its name and owned by its uid. */
  #owned(cr: PipelineBenchmark): OwnedObjects {
    const { namespace, name, uid } = cr.metadata
    const mine = (o: { metadata?: { labels?: Record<string, string>; ownerReferences?: { uid: string }[] } }) =>
      o.metadata?.labels?.['app.kubernetes.io/instance'] === name && o.metadata.ownerReferences?.some((r) => r.uid === uid)
    return {
      deployments: this.#caches.deployments.list(namespace).filter(mine),
      services: this.#caches.services.list(namespace).filter(mine),
      jobs: this.#caches.jobs.list(namespace).filter(mine),
    }
  }

  async #applyChanges(cr: PipelineBenchmark, owned: ExistingObject[], replicas: number): Promise<void> {
    const desired = desiredState(cr, this.#options.images, replicas, this.#options.databaseUrlSecret)
    for (const change of changesFor(desired, owned)) {
      const namespace = cr.metadata.namespace
      if (change.action === 'delete') {
        await this.#api.delete(API_VERSION_OF_KIND[change.kind] as string, change.kind, namespace, change.name)
        continue
      }
      const { manifest } = change
      if (change.action === 'recreate') {
        // Foreground would wait for pods; the Job name is free once the Job object is gone, which Background gives at once.
        await this.#api.delete(manifest.apiVersion, manifest.kind, namespace, manifest.metadata.name as string)
      }
      await this.#api.apply(manifest)
    }
  }

  #observe(cr: PipelineBenchmark, { deployments, jobs }: OwnedObjects): Observed {
    const deployment = deployments.find((d) => d.metadata?.name === `${cr.metadata.name}-processor`)
    const jobDone = (j: V1Job, type: string) => j.status?.conditions?.some((c) => c.type === type && c.status === 'True') ?? false
    const observed: Observed = {
      processorReplicas: deployment?.spec?.replicas ?? 0,
      processorReadyReplicas: deployment?.status?.readyReplicas ?? 0,
      jobs: {
        total: jobs.length,
        succeeded: jobs.filter((j) => jobDone(j, 'Complete')).length,
        failed: jobs.filter((j) => jobDone(j, 'Failed')).length,
      },
    }
    // Results are collected once; later passes read them back from status.
    if (cr.status?.summary) observed.results = cr.status.summary
    const unavailable = cr.status?.conditions?.find((c) => c.type === 'TargetsMet' && c.reason === 'ResultsUnavailable')
    if (unavailable) observed.resultsUnavailable = unavailable.message
    return observed
  }

  async #collectResults(cr: PipelineBenchmark, observed: Observed): Promise<void> {
    if (observed.results || observed.resultsUnavailable) return
    try {
      const text = await this.#api.processorMetrics(cr.metadata.namespace, `${cr.metadata.name}-processor`)
      observed.results = runResultsFromMetrics(text, cr.spec.durationSeconds)
    } catch (error) {
      // Simulated (kwok) pods serve nothing; say so and complete rather than retry forever. KubeApi's
      // errors already name the request, the HTTP code and the API server's message.
      observed.resultsUnavailable = `could not read the processor's /metrics: ${(error as Error).message}`
    }
  }

  async #scale(cr: PipelineBenchmark, observed: Observed, status: PipelineBenchmarkStatus): Promise<void> {
    const key = `${cr.metadata.namespace}/${cr.metadata.name}`
    let text: string
    try {
      text = await this.#api.processorMetrics(cr.metadata.namespace, `${cr.metadata.name}-processor`)
    } catch {
      // No figures (simulated pods serve none), no scaling decision: keep the replicas we have.
      this.#lastScrape.delete(key)
      return
    }
    const nowMs = Date.now()
    const load = this.#loadSince(key, text, nowMs, cr)
    if (!load) return
    const decision = scalingDecision({
      spec: cr.spec,
      current: status.replicas ?? observed.processorReplicas,
      observed: load,
      lastScaleAtMs: status.lastScaleAt ? Date.parse(status.lastScaleAt) : undefined,
      nowMs,
    })
    if (decision.replicas !== status.replicas) {
      status.replicas = decision.replicas
      status.lastScaleAt = new Date(nowMs).toISOString()
      status.lastScaleReason = decision.reason
    }
  }

  /** Committed events per second and CPU cores between two scrapes; undefined on the first. */
  #loadSince(key: string, text: string, nowMs: number, cr: PipelineBenchmark): ObservedLoad | undefined {
    const counters = processorCounters(text)
    const previous = this.#lastScrape.get(key)
    this.#lastScrape.set(key, { atMs: nowMs, counters })
    if (!previous) return undefined
    const seconds = (nowMs - previous.atMs) / 1000
    return {
      throughputPerSecond: (counters.committed - previous.counters.committed) / seconds,
      offeredPerSecond: cr.spec.sources.reduce((sum, s) => sum + s.rate, 0),
      p99Ms: counters.commitP99Ms,
      cpu: (counters.cpuSeconds - previous.counters.cpuSeconds) / seconds,
    }
  }
}

/** Whether the spec leaves room to scale: without it, scraping figures for a decision is wasted API load. */
function canScale(cr: PipelineBenchmark): boolean {
  const replicas = cr.spec.processing.replicas
  return (replicas?.max ?? 1) > (replicas?.min ?? 1)
}

interface OwnedObjects {
  deployments: V1Deployment[]
  services: V1Service[]
  jobs: V1Job[]
}

/** What changesFor compares with: kind, name and the spec hash we last applied. */
function existingObjects({ deployments, services, jobs }: OwnedObjects): ExistingObject[] {
  const existing = (kind: string, objects: (V1Deployment | V1Service | V1Job)[]) =>
    objects.map((o) => ({ kind, name: o.metadata?.name as string, specHash: o.metadata?.annotations?.[SPEC_HASH_ANNOTATION] }))
  return [...existing('Deployment', deployments), ...existing('Service', services), ...existing('Job', jobs)]
}
