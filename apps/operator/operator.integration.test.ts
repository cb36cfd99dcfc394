import { AppsV1Api, BatchV1Api, CoreV1Api, CustomObjectsApi, KubeConfig } from '@kubernetes/client-node'
import { afterAll, beforeAll, describe, expect, test, vi } from 'vitest'
import type { StartedPostgres } from '../../harness/environment.ts'
import { type KwokCluster, startKwokCluster } from '../../harness/kwok/cluster.ts'
import { goMissing } from '../../harness/kwok/control-plane.ts'
import { startLocalPostgres } from '../../harness/local/postgres.ts'
import { queryRows } from '../../harness/sql.ts'
import { Controller } from './controller.ts'
import { installCrd } from './install-crd.ts'
import { FINALIZER, GROUP, type PipelineBenchmark, PLURAL, VERSION } from './pipeline-benchmark.ts'
import { openReportStore, type ReportStore } from './report-store.ts'

// Against a real control plane: kube-apiserver, etcd, controller-manager and scheduler built from upstream
// Go modules, with kwok's simulated nodes (pods are scheduled and marked Running/Ready/Succeeded, but no
// container runs). The first run on a machine builds the binaries (minutes); later runs reuse them.
const why = goMissing()
const POLL = { timeout: 60_000, interval: 200 }

describe.skipIf(why !== '')(`operator on a kwok control plane${why ? ` (skipped: ${why})` : ''}`, { timeout: 120_000 }, () => {
  let cluster: KwokCluster
  let controller: Controller
  let custom: CustomObjectsApi
  let apps: AppsV1Api
  let batch: BatchV1Api
  let core: CoreV1Api
  let postgres: StartedPostgres
  let reports: ReportStore
  const namespace = 'bench'

  const benchmark = (name: string, spec: Partial<PipelineBenchmark['spec']> = {}) => ({
    apiVersion: `${GROUP}/${VERSION}`,
    kind: 'PipelineBenchmark',
    metadata: { name, namespace },
    spec: { sources: [{ kind: 'market', rate: 1000 }], processing: { strategy: 'optimized' }, targets: {}, durationSeconds: 5, ...spec },
  })
  const create = (body: object) => custom.createNamespacedCustomObject({ group: GROUP, version: VERSION, plural: PLURAL, namespace, body })
  const get = async (name: string) =>
    (await custom.getNamespacedCustomObject({ group: GROUP, version: VERSION, plural: PLURAL, namespace, name })) as PipelineBenchmark
  const condition = async (name: string, type: string) => (await get(name)).status?.conditions?.find((c) => c.type === type)

  beforeAll(async () => {
    cluster = await startKwokCluster(2)
    const kc = new KubeConfig()
    kc.loadFromFile(cluster.kubeconfig)
    custom = kc.makeApiClient(CustomObjectsApi)
    apps = kc.makeApiClient(AppsV1Api)
    batch = kc.makeApiClient(BatchV1Api)
    core = kc.makeApiClient(CoreV1Api)
    await installCrd(kc)
    await core.createNamespace({ body: { metadata: { name: namespace } } })
    // The default service account appears asynchronously; pods (and so Jobs) wait for it.
    await vi.waitFor(() => core.readNamespacedServiceAccount({ name: 'default', namespace }), POLL)
    postgres = await startLocalPostgres()
    reports = await openReportStore(postgres.url)
    controller = new Controller(kc, {
      reports,
      images: { processor: 'processor:test', generator: 'generator:test' },
      databaseUrlSecret: 'db',
      log: (line) => console.error(`operator: ${line}`),
    })
    await controller.start()
  }, 45 * 60_000)

  afterAll(async () => {
    await controller?.stop()
    await reports?.close()
    await postgres?.stop()
    await cluster?.stop()
  }, 120_000)

  test('the API server rejects an invalid spec, naming the field', async () => {
    const rejection = (body: object) =>
      create(body).then(
        () => 'accepted',
        (error: { body?: string }) => (JSON.parse(String(error.body)) as { message: string }).message,
      )
    expect(await rejection(benchmark('bad-rate', { sources: [{ kind: 'market', rate: 0 }] }))).toContain('spec.sources[0].rate')
    expect(await rejection(benchmark('bad-replicas', { processing: { strategy: 'optimized', replicas: { min: 3, max: 2 } } }))).toContain(
      'replicas.min must not exceed replicas.max',
    )
    expect(await rejection(benchmark('bad-kind', { sources: [{ kind: 'weather' as 'iot', rate: 5 }] }))).toContain(
      'Unsupported value: "weather"',
    )
    const sized = { kind: 'market' as const, rate: 5, sizeBytes: { distribution: 'fixed', min: 100, max: 100 } }
    expect(await rejection(benchmark('sized-market', { sources: [sized] }))).toContain('sizeBytes applies to iot and log sources')
    expect(await rejection(benchmark('bad-baseline', { baselineRef: 'Not A Name' }))).toContain('spec.baselineRef')
  })

  test('create makes the owned objects; the run goes Ready, Running and Completed', async () => {
    await create(
      benchmark('lifecycle', {
        baselineRef: 'earlier',
        sources: [
          { kind: 'market', rate: 1000 },
          { kind: 'iot', rate: 500 },
        ],
      }),
    )
    await expect.poll(async () => (await get('lifecycle')).metadata.finalizers, POLL).toContain(FINALIZER)
    const deployment = await vi.waitFor(() => apps.readNamespacedDeployment({ name: 'lifecycle-processor', namespace }), POLL)
    expect(deployment.spec?.replicas).toBe(1)
    // Applied after the Deployment, so it may not be there yet when the Deployment is.
    await vi.waitFor(() => core.readNamespacedService({ name: 'lifecycle-processor', namespace }), POLL)
    await vi.waitFor(async () => {
      const jobs = await batch.listNamespacedJob({ namespace, labelSelector: 'app.kubernetes.io/instance=lifecycle' })
      expect(jobs.items.map((j) => j.metadata?.name).sort()).toEqual(['lifecycle-gen-0-0', 'lifecycle-gen-1-0'])
    }, POLL)
    await expect.poll(async () => (await condition('lifecycle', 'Ready'))?.status, POLL).toBe('True')
    // kwok completes Job pods; no processor runs, so results are unavailable and the status says why.
    await expect.poll(async () => (await get('lifecycle')).status?.phase, POLL).toBe('Completed')
    const targets = await condition('lifecycle', 'TargetsMet')
    expect(targets).toMatchObject({ status: 'Unknown', reason: 'ResultsUnavailable' })
    expect(await condition('lifecycle', 'BaselineCompared')).toMatchObject({
      status: 'False',
      reason: 'BaselineUnavailable',
      message: 'this run has no results to compare',
    })
    expect((await get('lifecycle')).status?.observedGeneration).toBe(1)
    // Finished, its processor gives its CPU back: 0 replicas, the report and the Service kept.
    await expect
      .poll(async () => (await apps.readNamespacedDeployment({ name: 'lifecycle-processor', namespace })).spec?.replicas, POLL)
      .toBe(0)
    await expect.poll(async () => (await condition('lifecycle', 'Ready'))?.reason, POLL).toBe('RunFinished')
    expect((await get('lifecycle')).status?.phase).toBe('Completed')
    // The full report went to PostgreSQL once, with the final status.
    const rows = await queryRows<{ phase: string; status: PipelineBenchmark['status'] }>(
      postgres.url,
      'SELECT phase, status FROM operator_reports WHERE namespace = $1 AND name = $2',
      [namespace, 'lifecycle'],
    )
    expect(rows).toHaveLength(1)
    expect(rows[0]?.phase).toBe('Completed')
    expect(rows[0]?.status?.conditions?.find((c) => c.type === 'TargetsMet')?.reason).toBe('ResultsUnavailable')
  })

  test('a spec change updates the Deployment and recreates a changed generator Job', async () => {
    await create(benchmark('changes', { durationSeconds: 3600 }))
    const before = await vi.waitFor(() => batch.readNamespacedJob({ name: 'changes-gen-0-0', namespace }), POLL)
    // Read-modify-write, again on 409 Conflict: the operator writes the same object (finalizer, status).
    await vi.waitFor(async () => {
      const cr = await get('changes')
      await custom.replaceNamespacedCustomObject({
        group: GROUP,
        version: VERSION,
        plural: PLURAL,
        namespace,
        name: 'changes',
        body: { ...cr, spec: { ...cr.spec, processing: { strategy: 'naive' }, sources: [{ kind: 'market', rate: 2000 }] } },
      })
    }, POLL)
    await expect
      .poll(
        async () =>
          (await apps.readNamespacedDeployment({ name: 'changes-processor', namespace })).spec?.template.spec?.containers[0]?.args,
        POLL,
      )
      .toContain('--strategy=naive')
    await expect
      .poll(async () => {
        const after = await batch.readNamespacedJob({ name: 'changes-gen-0-0', namespace }).catch(() => undefined)
        return after && after.metadata?.uid !== before.metadata?.uid ? after.spec?.template.spec?.containers[0]?.args : undefined
      }, POLL)
      .toContain(`--shape=${JSON.stringify({ pattern: { kind: 'steady', rate: 2000 } })}`)
    await expect.poll(async () => (await get('changes')).status?.observedGeneration, POLL).toBe(2)
  })

  test('delete runs the finalizer: owned objects go, then the benchmark', async () => {
    await create(benchmark('doomed', { durationSeconds: 3600 }))
    await vi.waitFor(() => apps.readNamespacedDeployment({ name: 'doomed-processor', namespace }), POLL)
    await custom.deleteNamespacedCustomObject({ group: GROUP, version: VERSION, plural: PLURAL, namespace, name: 'doomed' })
    await expect
      .poll(
        () =>
          get('doomed').then(
            () => 'present',
            () => 'gone',
          ),
        POLL,
      )
      .toBe('gone')
    const left = await Promise.all([
      apps.listNamespacedDeployment({ namespace, labelSelector: 'app.kubernetes.io/instance=doomed' }),
      batch.listNamespacedJob({ namespace, labelSelector: 'app.kubernetes.io/instance=doomed' }),
      core.listNamespacedService({ namespace, labelSelector: 'app.kubernetes.io/instance=doomed' }),
    ])
    // Jobs deleted in the background may linger briefly with a deletionTimestamp; none may be live.
    const live = left.flatMap((l) => l.items.map((o) => o.metadata)).filter((m) => !m?.deletionTimestamp)
    expect(live).toEqual([])
  })

  test('an API server restart in the middle of reconciling recovers', async () => {
    await create(benchmark('restart', { durationSeconds: 3600 }))
    await cluster.restartApiServer()
    await vi.waitFor(() => apps.readNamespacedDeployment({ name: 'restart-processor', namespace }), { ...POLL, timeout: 90_000 })
    await expect.poll(async () => (await condition('restart', 'Ready'))?.status, { ...POLL, timeout: 90_000 }).toBe('True')
    // And it still sees new work after the restart: its watches came back.
    await create(benchmark('after-restart', { durationSeconds: 3600 }))
    await vi.waitFor(() => apps.readNamespacedDeployment({ name: 'after-restart-processor', namespace }), POLL)
  })
})
