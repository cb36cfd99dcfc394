import { Counter, collectDefaultMetrics, Gauge, Histogram, Registry, Summary } from 'prom-client'

/** The operator's own figures, served on /metrics: what suites/operator.bench.ts reads. */
export function createOperatorMetrics(queueDepth: () => number) {
  const registry = new Registry()
  collectDefaultMetrics({ register: registry })
  return {
    registry,
    reconcileSeconds: new Histogram({
      name: 'operator_reconcile_duration_seconds',
      help: 'Time to reconcile one PipelineBenchmark',
      // 0.5 ms .. ~4 s: a cached no-op reconcile is sub-millisecond, one with writes tens of ms.
      buckets: [0.0005, 0.001, 0.002, 0.005, 0.01, 0.02, 0.05, 0.1, 0.2, 0.5, 1, 2, 4],
      registers: [registry],
    }),
    // Quantiles from the samples themselves (prom-client's t-digest), for the benchmark's p50 / p99: the
    // histogram's buckets above are for dashboards and are too coarse to compare runs.
    reconcileQuantiles: new Summary({
      name: 'operator_reconcile_seconds',
      help: 'Time to reconcile one PipelineBenchmark, as quantiles over the process life',
      percentiles: [0.5, 0.9, 0.99],
      registers: [registry],
    }),
    reconciles: new Counter({ name: 'operator_reconciles_total', help: 'Reconciles run', registers: [registry] }),
    reconcileErrors: new Counter({
      name: 'operator_reconcile_errors_total',
      help: 'Reconciles that failed and were retried with backoff',
      registers: [registry],
    }),
    queueDepth: new Gauge({
      name: 'operator_queue_depth',
      help: 'Keys waiting to be reconciled',
      registers: [registry],
      collect() {
        this.set(queueDepth())
      },
    }),
    apiRequests: new Counter({
      name: 'operator_api_requests_total',
      help: 'Requests to the Kubernetes API server by verb',
      labelNames: ['verb'],
      registers: [registry],
    }),
  }
}

export type OperatorMetrics = ReturnType<typeof createOperatorMetrics>
