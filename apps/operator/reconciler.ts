import { isDeepStrictEqual } from 'node:util'
import type { V1Deployment, V1Job, V1Pod, V1Service } from '@kubernetes/client-node'
import { compareWithBaseline } from './baseline-comparison.ts'
import { type Observed, statusFor } from './conditions.ts'
import { desiredState, type Images } from './desired-state.ts'
import { isConflict, type KubeApi, type ReplicaScrape } from './kube-api.ts'
import { changesFor, type ExistingObject, SPEC_HASH_ANNOTATION } from './owned-changes.ts'
import { type BaselineComparison, FINALIZER, type PipelineBenchmark, type PipelineBenchmarkStatus } from './pipeline-benchmark.ts'
import type { ReportStore } from './report-store.ts'
import { countersSince, eventP99Ms, type ProcessorCounters, processorCounters, ReplicaLedger, runResults } from './run-results.ts'
import { type ObservedLoad, scalingDecision } from './scaling.ts'

/** Informer caches: reconcile reads only these, never LISTs. */
export interface Caches {
  benchmarks: { get(name: string, namespace?: string): PipelineBenchmark | undefined }
  deployments: { list(namespace?: string): readonly V1Deployment[] }
  services: { list(namespace?: string): readonly V1Service[] }
  jobs: { list(namespace?: string): readonly V1Job[] }
  processorPods: { list(namespace?: string): readonly V1Pod[] }
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
  /** Per benchmark: its run (uid and generation), every replica seen, and the last total for scaling. */
  readonly #runs = new Map<string, RunFigures>()

  constructor(api: KubeApi, caches: Caches, options: ReconcilerOptions) {
    this.#api = api
    this.#caches = caches
    this.#options = options
  }

  async reconcile(key: string): Promise<{ requeueAfterMs?: number }> {
    const [namespace, name] = key.split('/') as [string, string]
    const cr = this.#caches.benchmarks.get(name, namespace)
    if (!cr) {
      this.#runs.delete(key)
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
      // A finished run (of this generation) keeps its report, Service and Jobs, but not its processor: 0
      // replicas, so the cluster's CPU goes to the next run. Its pods held half a core each until deleted,
      // and on a small node the next benchmark's generator then could not be scheduled.
      await this.#applyChanges(cr, existing, finishedRun(cr) ? 0 : status.replicas, holdLoad(cr, owned))
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
      await this.#track(cr, observed, status)
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

  async #applyChanges(cr: PipelineBenchmark, owned: ExistingObject[], replicas: number, withoutLoad: boolean): Promise<void> {
    const desired = desiredState(cr, this.#options.images, replicas, this.#options.databaseUrlSecret).filter(
      (m) => !(withoutLoad && m.kind === 'Job'),
    )
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
    if (cr.status?.comparison) observed.comparison = cr.status.comparison
    const unavailable = cr.status?.conditions?.find((c) => c.type === 'TargetsMet' && c.reason === 'ResultsUnavailable')
    if (unavailable) observed.resultsUnavailable = unavailable.message
    return observed
  }

  async #collectResults(cr: PipelineBenchmark, observed: Observed): Promise<void> {
    if (observed.results || observed.resultsUnavailable) return
    await this.#collectFigures(cr, observed)
    observed.comparison = await this.#compare(cr, observed)
  }

  /** With a baselineRef: this run beside the stored report of that name, or why there is none. */
  async #compare(cr: PipelineBenchmark, observed: Observed): Promise<BaselineComparison | undefined> {
    const { baselineRef } = cr.spec
    if (baselineRef === undefined) return undefined
    if (!observed.results) return { baselineRef, unavailable: 'this run has no results to compare' }
    const reports = this.#options.reports
    if (!reports)
      return { baselineRef, unavailable: 'no reports database: give the operator one (Secret operator-database) to compare runs' }
    const baseline = await reports.latestSummary(cr.metadata.namespace, baselineRef)
    if (!baseline)
      return { baselineRef, unavailable: `no completed report named ${baselineRef} in ${cr.metadata.namespace}: run that benchmark first` }
    return compareWithBaseline(baselineRef, observed.results, baseline)
  }

  async #collectFigures(cr: PipelineBenchmark, observed: Observed): Promise<void> {
    const pods = this.#runningProcessorPods(cr)
    if (pods.length === 0) {
      observed.resultsUnavailable = 'no processor pod is running to read results from'
      return
    }
    // KubeApi's errors already name the request, the HTTP code and the API server's message.
    const scrapes = await this.#api.replicaMetrics(cr.metadata.namespace, pods)
    const failed = scrapes.filter((s) => s.error !== undefined)
    if (failed.length === scrapes.length) {
      // Simulated (kwok) pods serve nothing; say so and complete rather than retry forever.
      observed.resultsUnavailable = `no processor replica served /metrics: ${failed.map((s) => `${s.pod}: ${s.error}`).join('; ')}`
      return
    }
    // A replica that did not answer this time would be missing from the totals: fail the pass and retry.
    if (failed.length > 0)
      throw new Error(`processor replica /metrics unreadable, retrying: ${failed.map((s) => `${s.pod}: ${s.error}`).join('; ')}`)
    const run = this.#record(cr, scrapes)
    observed.results = runResults(run.ledger.total(), cr.spec.durationSeconds)
  }

  /**
   * While a run that can scale goes on: every replica's counters into the ledger, so a replica scaled away
   * before the end still counts in the results, and a scaling decision on the load since the last look.
   * A run that cannot scale is read once, at the end: scraping it meanwhile would be API load for nothing.
   */
  async #track(cr: PipelineBenchmark, observed: Observed, status: PipelineBenchmarkStatus): Promise<void> {
    const pods = this.#runningProcessorPods(cr)
    if (pods.length === 0) return
    const scrapes = await this.#api.replicaMetrics(cr.metadata.namespace, pods)
    // No figures (simulated pods serve none), or a partial total, which would read as a drop in throughput:
    // no scaling decision, keep the replicas we have.
    if (scrapes.some((s) => s.error !== undefined)) return
    const nowMs = Date.now()
    const run = this.#record(cr, scrapes)
    const total = run.ledger.total()
    const previous = run.lastTotal
    run.lastTotal = { atMs: nowMs, counters: total }
    if (!previous) return
    const seconds = (nowMs - previous.atMs) / 1000
    const since = countersSince(total, previous.counters)
    const load: ObservedLoad = {
      throughputPerSecond: since.committed / seconds,
      offeredPerSecond: cr.spec.sources.reduce((sum, s) => sum + s.rate, 0),
      p99Ms: eventP99Ms(since),
      cpu: since.cpuSeconds / seconds,
    }
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

  /** This benchmark's processor pods that run now, from the pod cache (their labels; their owner is a ReplicaSet). */
  #runningProcessorPods(cr: PipelineBenchmark): string[] {
    return this.#caches.processorPods
      .list(cr.metadata.namespace)
      .filter((p) => p.metadata?.labels?.['app.kubernetes.io/instance'] === cr.metadata.name && p.status?.phase === 'Running')
      .map((p) => p.metadata?.name as string)
  }

  /** Every replica's counters into this run's ledger; a new uid or generation is a new run. */
  #record(cr: PipelineBenchmark, scrapes: ReplicaScrape[]): RunFigures {
    const key = `${cr.metadata.namespace}/${cr.metadata.name}`
    const runId = `${cr.metadata.uid}/${cr.metadata.generation}`
    let run = this.#runs.get(key)
    if (run?.runId !== runId) {
      run = { runId, ledger: new ReplicaLedger() }
      this.#runs.set(key, run)
    }
    for (const s of scrapes) if (s.text !== undefined) run.ledger.record(s.pod, processorCounters(s.text))
    return run
  }
}

interface RunFigures {
  runId: string
  ledger: ReplicaLedger
  lastTotal?: { atMs: number; counters: ProcessorCounters }
}

/**
 * Whether the generator Jobs wait: until a processor replica is ready, unless they exist already. Started
 * with the Deployment, a generator met refused connections for its first second or so, and the processor's
 * start-up showed as seconds of event latency (p99 1.4 s at 5,000 events/s on the kube node).
 */
function holdLoad(cr: PipelineBenchmark, { deployments, jobs }: OwnedObjects): boolean {
  const processor = deployments.find((d) => d.metadata?.name === `${cr.metadata.name}-processor`)
  return jobs.length === 0 && (processor?.status?.readyReplicas ?? 0) === 0
}

/** Whether this generation of the benchmark has already Completed or Failed. */
function finishedRun(cr: PipelineBenchmark): boolean {
  const phase = cr.status?.phase
  return (phase === 'Completed' || phase === 'Failed') && cr.status?.observedGeneration === cr.metadata.generation
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
