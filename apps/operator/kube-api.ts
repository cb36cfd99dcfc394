import {
  AppsV1Api,
  BatchV1Api,
  CoreV1Api,
  CustomObjectsApi,
  type KubeConfig,
  type KubernetesObject,
  KubernetesObjectApi,
  makeInformer,
  PatchStrategy,
  type V1Deployment,
  type V1Job,
  type V1Pod,
  type V1Service,
} from '@kubernetes/client-node'
import pThrottle from 'p-throttle'
import { type Manifest, PROCESSOR_PORT } from './desired-state.ts'
import type { OperatorMetrics } from './operator-metrics.ts'
import { GROUP, type PipelineBenchmark, type PipelineBenchmarkStatus, PLURAL, VERSION } from './pipeline-benchmark.ts'

const FIELD_MANAGER = 'performance-observatory-operator'
export const PART_OF_SELECTOR = 'app.kubernetes.io/part-of=performance-observatory'
const PROCESSOR_PODS_SELECTOR = `${PART_OF_SELECTOR},app.kubernetes.io/component=processor`

/**
 * Every API call the operator makes, each counted by verb for the "API requests per reconcile" figure.
 * Reads come from informer caches (one LIST per resource at start, then a WATCH); these are the writes,
 * the informers' LISTs and the results scrape.
 */
export class KubeApi {
  readonly #kc: KubeConfig
  readonly #objects: KubernetesObjectApi
  readonly #custom: CustomObjectsApi
  readonly #core: CoreV1Api
  readonly #apps: AppsV1Api
  readonly #batch: BatchV1Api
  readonly #metrics: OperatorMetrics
  readonly #throttle: <T>(call: () => Promise<T>) => Promise<T>

  /** `writesPerSecond` caps requests other than the informers' (client-go's QPS): a burst of new benchmarks must not flood the API server. */
  constructor(kc: KubeConfig, metrics: OperatorMetrics, writesPerSecond = 50) {
    const throttled = pThrottle({ limit: writesPerSecond, interval: 1000 })((call: () => Promise<unknown>) => call())
    this.#throttle = throttled as <T>(call: () => Promise<T>) => Promise<T>
    this.#kc = kc
    this.#objects = KubernetesObjectApi.makeApiClient(kc)
    this.#custom = kc.makeApiClient(CustomObjectsApi)
    this.#core = kc.makeApiClient(CoreV1Api)
    this.#apps = kc.makeApiClient(AppsV1Api)
    this.#batch = kc.makeApiClient(BatchV1Api)
    this.#metrics = metrics
  }

  async #count<T>(verb: string, call: () => Promise<T>, what = ''): Promise<T> {
    try {
      return await this.#throttle(() => {
        this.#metrics.apiRequests.inc({ verb })
        return call()
      })
    } catch (error) {
      throw describeApiError(error, `${verb} ${what}`.trim())
    }
  }

  #countList<T>(call: () => Promise<T>): Promise<T> {
    this.#metrics.apiRequests.inc({ verb: 'list' })
    return call()
  }

  informers() {
    const { group, version, plural } = { group: GROUP, version: VERSION, plural: PLURAL }
    const selector = PART_OF_SELECTOR
    return {
      benchmarks: makeInformer<PipelineBenchmark & KubernetesObject>(this.#kc, `/apis/${group}/${version}/${plural}`, () =>
        this.#countList(() => this.#custom.listClusterCustomObject({ group, version, plural })),
      ),
      deployments: makeInformer<V1Deployment>(
        this.#kc,
        '/apis/apps/v1/deployments',
        () => this.#countList(() => this.#apps.listDeploymentForAllNamespaces({ labelSelector: selector })),
        selector,
      ),
      services: makeInformer<V1Service>(
        this.#kc,
        '/api/v1/services',
        () => this.#countList(() => this.#core.listServiceForAllNamespaces({ labelSelector: selector })),
        selector,
      ),
      // Processor pods only, for the per-replica scrape: no reconcile is queued by their events.
      processorPods: makeInformer<V1Pod>(
        this.#kc,
        '/api/v1/pods',
        () => this.#countList(() => this.#core.listPodForAllNamespaces({ labelSelector: PROCESSOR_PODS_SELECTOR })),
        PROCESSOR_PODS_SELECTOR,
      ),
      jobs: makeInformer<V1Job>(
        this.#kc,
        '/apis/batch/v1/jobs',
        () => this.#countList(() => this.#batch.listJobForAllNamespaces({ labelSelector: selector })),
        selector,
      ),
    }
  }

  /** Server-side apply: creates or updates, and owns only the fields we set. */
  apply(manifest: Manifest): Promise<unknown> {
    return this.#count(
      'patch',
      () => this.#objects.patch(manifest as KubernetesObject, undefined, undefined, FIELD_MANAGER, true, PatchStrategy.ServerSideApply),
      `${manifest.kind}/${manifest.metadata.name}`,
    )
  }

  async delete(apiVersion: string, kind: string, namespace: string, name: string): Promise<void> {
    try {
      await this.#count(
        'delete',
        () =>
          this.#objects.delete(
            { apiVersion, kind, metadata: { name, namespace } },
            undefined,
            undefined,
            undefined,
            undefined,
            'Background',
          ),
        `${kind}/${name}`,
      )
    } catch (error) {
      if (!isNotFound(error)) throw error
    }
  }

  /** A GET past the cache: only after a write conflicted, when the cached copy is known to be stale. */
  async readBenchmark(namespace: string, name: string): Promise<PipelineBenchmark> {
    return (await this.#count(
      'get',
      () => this.#custom.getNamespacedCustomObject({ group: GROUP, version: VERSION, plural: PLURAL, namespace, name }),
      `PipelineBenchmark/${name}`,
    )) as PipelineBenchmark
  }

  /** PUT with the cached resourceVersion: a stale cache gives 409 Conflict, and the queue retries. */
  replaceBenchmark(cr: PipelineBenchmark): Promise<unknown> {
    const { namespace, name } = cr.metadata
    return this.#count(
      'update',
      () => this.#custom.replaceNamespacedCustomObject({ group: GROUP, version: VERSION, plural: PLURAL, namespace, name, body: cr }),
      `PipelineBenchmark/${name}`,
    )
  }

  replaceStatus(cr: PipelineBenchmark, status: PipelineBenchmarkStatus): Promise<unknown> {
    const { namespace, name } = cr.metadata
    return this.#count(
      'update',
      () =>
        this.#custom.replaceNamespacedCustomObjectStatus({
          group: GROUP,
          version: VERSION,
          plural: PLURAL,
          namespace,
          name,
          body: { ...cr, status },
        }),
      `PipelineBenchmark/${name}/status`,
    )
  }

  /**
   * Each named processor pod's /metrics, one at a time through the API server's pod proxy (from inside or
   * outside the cluster). The Service proxy would answer from one replica of N, about 1/N of the run. A pod
   * that does not answer is returned with its error; the caller decides what a partial set means.
   */
  replicaMetrics(namespace: string, pods: string[]): Promise<ReplicaScrape[]> {
    return Promise.all(
      pods.map(async (pod) => {
        try {
          const text = await this.#count(
            'get',
            () => this.#core.connectGetNamespacedPodProxyWithPath({ name: `${pod}:${PROCESSOR_PORT}`, namespace, path: 'metrics' }),
            `Pod/${pod}/proxy/metrics`,
          )
          return { pod, text }
        } catch (error) {
          return { pod, error: (error as Error).message }
        }
      }),
    )
  }
}

/** One replica's scrape: its exposition, or why it gave none. */
export type ReplicaScrape = { pod: string; text: string; error?: undefined } | { pod: string; text?: undefined; error: string }

export function isNotFound(error: unknown): boolean {
  return (error as { code?: number }).code === 404
}

/** 409: the object changed since the copy we wrote from. */
export function isConflict(error: unknown): boolean {
  return (error as { code?: number }).code === 409
}

/** The API server's own message (from its Status body) in the error, with what we were doing; the code kept. */
function describeApiError(error: unknown, doing: string): Error {
  const { code, body, message } = error as { code?: number; body?: unknown; message?: string }
  let detail = message ?? String(error)
  try {
    const status = (typeof body === 'string' ? JSON.parse(body) : body) as { message?: string } | undefined
    if (status?.message) detail = status.message
  } catch {
    // Not a Status body (e.g. a proxied response): keep the client's message.
  }
  return Object.assign(new Error(`${doing}: ${code ? `HTTP ${code}: ` : ''}${detail}`, { cause: error }), { code })
}
