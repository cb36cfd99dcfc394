import type { PipelineBenchmark } from './pipeline-benchmark.ts'
import { sourceArgs } from './source-load.ts'

/** Images the operator deploys; built by the harness (issue 5) and set on the operator's command line. */
export interface Images {
  processor: string
  generator: string
}

// The Kubernetes objects we write, as plain JSON: only the fields we set.
export type Manifest = { apiVersion: string; kind: string; metadata: Record<string, unknown>; spec: Record<string, unknown> }

export const PROCESSOR_PORT = 8080
const PART_OF = 'performance-observatory'
// The pipeline manifest's figures (apps/manifests/pipeline.yaml), under which a rolling update failed no request.
const PRE_STOP_SECONDS = 5
const SHUTDOWN_DRAIN_MS = 3000
/** For monitoring/prometheus.yml: scrape each processor pod's /metrics. */
const PROMETHEUS_SCRAPE = { 'prometheus.io/scrape': 'true', 'prometheus.io/port': String(PROCESSOR_PORT), 'prometheus.io/path': '/metrics' }

/**
 * What should exist for a benchmark, from its spec alone: the processor Deployment and Service, and one
 * generator Job per source and stream. Pure and deterministic, so reconcile is level-triggered: compare
 * this with what exists and apply the difference, as often as it likes. Everything is owned by the CR, so
 * Kubernetes' garbage collector removes it with the CR; the finalizer only handles what lives outside.
 */
export function desiredState(cr: PipelineBenchmark, images: Images, replicas: number, databaseUrlSecret: string): Manifest[] {
  const name = cr.metadata.name
  const namespace = cr.metadata.namespace
  const labels = { 'app.kubernetes.io/part-of': PART_OF, 'app.kubernetes.io/instance': name }
  const metadata = (suffix: string, component: string) => ({
    name: `${name}-${suffix}`,
    namespace,
    labels: { ...labels, 'app.kubernetes.io/component': component },
    ownerReferences: [{ apiVersion: cr.apiVersion, kind: cr.kind, name, uid: cr.metadata.uid, controller: true, blockOwnerDeletion: true }],
  })
  const processorLabels = { ...labels, 'app.kubernetes.io/component': 'processor' }
  const processorUrl = `http://${name}-processor.${namespace}.svc:${PROCESSOR_PORT}`

  const deployment: Manifest = {
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    metadata: metadata('processor', 'processor'),
    spec: {
      replicas,
      // As apps/manifests/pipeline.yaml: the new pod is ready before the old one goes.
      strategy: { type: 'RollingUpdate', rollingUpdate: { maxSurge: 1, maxUnavailable: 0 } },
      selector: { matchLabels: processorLabels },
      template: {
        metadata: { labels: processorLabels, annotations: PROMETHEUS_SCRAPE },
        spec: {
          ...podSecurity(),
          containers: [
            {
              name: 'processor',
              image: images.processor,
              imagePullPolicy: 'IfNotPresent',
              args: [`--strategy=${cr.spec.processing.strategy}`, `--batch-max=${cr.spec.processing.batchSize ?? 2000}`, '--host=0.0.0.0'],
              env: [
                { name: 'PORT', value: String(PROCESSOR_PORT) },
                { name: 'DATABASE_URL', valueFrom: { secretKeyRef: { name: databaseUrlSecret, key: 'url' } } },
                // As apps/manifests/pipeline.yaml: after SIGTERM, answers close their connection for a while,
                // so a generator's kept-alive connection moves to a replica that stays.
                { name: 'SHUTDOWN_DRAIN_MS', value: String(SHUTDOWN_DRAIN_MS) },
              ],
              ports: [{ name: 'http', containerPort: PROCESSOR_PORT }],
              readinessProbe: { httpGet: { path: '/healthz', port: 'http' }, periodSeconds: 2, failureThreshold: 2 },
              livenessProbe: { httpGet: { path: '/healthz', port: 'http' }, periodSeconds: 10, failureThreshold: 3 },
              // A replica scaled away keeps serving until the Service's endpoints drop it, then drains: the
              // pause that gave a rolling update of the pipeline 0 failed requests (suites/resilience.bench.ts).
              lifecycle: { preStop: { sleep: { seconds: PRE_STOP_SECONDS } } },
              // A quarter core each: on a 2-core node a benchmark's scale-up to two replicas must still fit
              // beside its generator (at 500m the second replica stayed Pending, unschedulable).
              resources: { requests: { cpu: '250m', memory: '256Mi' }, limits: { cpu: '2', memory: '512Mi' } },
              securityContext: containerSecurity(),
            },
          ],
        },
      },
    },
  }
  const service: Manifest = {
    apiVersion: 'v1',
    kind: 'Service',
    metadata: metadata('processor', 'processor'),
    spec: { selector: processorLabels, ports: [{ name: 'http', port: PROCESSOR_PORT, targetPort: 'http' }] },
  }
  const streams = cr.spec.concurrentStreams ?? 1
  const jobs: Manifest[] = cr.spec.sources.flatMap((source, s) =>
    Array.from({ length: streams }, (_, stream) => ({
      apiVersion: 'batch/v1',
      kind: 'Job',
      metadata: metadata(`gen-${s}-${stream}`, 'generator'),
      spec: {
        backoffLimit: 0,
        template: {
          metadata: { labels: { ...labels, 'app.kubernetes.io/component': 'generator' } },
          spec: {
            ...podSecurity(),
            restartPolicy: 'Never',
            containers: [
              {
                name: 'generator',
                image: images.generator,
                imagePullPolicy: 'IfNotPresent',
                args: [
                  ...sourceArgs(source, Math.max(1, Math.round(source.rate / streams)), cr.spec.durationSeconds),
                  `--duration-s=${cr.spec.durationSeconds}`,
                  `--source=${name}-${s}-${stream}`,
                  `--seed=${1 + s * 64 + stream}`,
                ],
                env: [{ name: 'TARGET_URL', value: processorUrl }],
                resources: { requests: { cpu: '250m', memory: '128Mi' }, limits: { cpu: '1', memory: '256Mi' } },
                securityContext: containerSecurity(),
              },
            ],
          },
        },
      },
    })),
  )
  return [deployment, service, ...jobs]
}

// Non-root, no privilege escalation, read-only root filesystem, no capabilities: the apps need none.
const podSecurity = () => ({ securityContext: { runAsNonRoot: true, runAsUser: 10001, seccompProfile: { type: 'RuntimeDefault' } } })
const containerSecurity = () => ({ allowPrivilegeEscalation: false, readOnlyRootFilesystem: true, capabilities: { drop: ['ALL'] } })
