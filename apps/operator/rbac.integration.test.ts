import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import { AuthorizationV1Api, CoreV1Api, KubeConfig, type KubernetesObject, KubernetesObjectApi, loadAllYaml } from '@kubernetes/client-node'
import { afterAll, beforeAll, describe, expect, test } from 'vitest'
import { RUN_LABEL } from '../../harness/container-engine.ts'
import { kubeImage } from '../../harness/kube/images.ts'
import { KubeNodeContainer, type StartedKubeNode } from '../../harness/kube/node-container.ts'
import { kubeProfile } from '../../harness/kube/profile.ts'
import { createBenchmark } from './create-benchmark.ts'
import { desiredState } from './desired-state.ts'
import { installCrd } from './install-crd.ts'
import { KubeApi } from './kube-api.ts'
import { createOperatorMetrics } from './operator-metrics.ts'
import type { PipelineBenchmark } from './pipeline-benchmark.ts'

// The operator's shipped RBAC (manifests/operator.yaml), enforced by a real API server (the kube node's,
// Node,RBAC): the operator's own client code, authenticated as its ServiceAccount with a token the API
// server issues, does each thing a benchmark needs, and is refused what it does not need.
process.env.TESTCONTAINERS_RYUK_DISABLED = 'true' // no registry for Ryuk's image; afterAll removes the node
const why = await kubeProfile.unavailable()
const OPERATOR_MANIFESTS = join(import.meta.dirname, 'manifests', 'operator.yaml')
const namespace = 'rbac'

describe.skipIf(why !== '')(`the operator's RBAC on a real API server${why ? ` (skipped: ${why})` : ''}`, { timeout: 180_000 }, () => {
  let node: StartedKubeNode
  let admin: KubeConfig
  let asOperator: KubeConfig
  let cr: PipelineBenchmark

  beforeAll(async () => {
    node = await new KubeNodeContainer(kubeImage()).withLabels({ [RUN_LABEL]: 'rbac-test' }).start()
    admin = new KubeConfig()
    admin.loadFromString(node.getKubeConfig())
    await installCrd(admin)
    // Everything in operator.yaml but the Deployment: its identity is what is under test, not its pod.
    const objects = KubernetesObjectApi.makeApiClient(admin)
    for (const o of loadAllYaml(readFileSync(OPERATOR_MANIFESTS, 'utf8')) as KubernetesObject[])
      if (o.kind !== 'Deployment') await objects.create(o)
    const core = admin.makeApiClient(CoreV1Api)
    await core.createNamespace({ body: { metadata: { name: namespace } } })
    const { status } = await core.createNamespacedServiceAccountToken({
      name: 'operator',
      namespace: 'performance-observatory',
      body: { spec: { audiences: [], expirationSeconds: 3600 } },
    })
    asOperator = new KubeConfig()
    asOperator.loadFromOptions({
      clusters: admin.clusters,
      users: [{ name: 'operator', token: status?.token }],
      contexts: [{ name: 'operator', cluster: admin.clusters[0]?.name as string, user: 'operator' }],
      currentContext: 'operator',
    })
    cr = await createBenchmark(admin, namespace, 'run')
  }, 180_000)

  afterAll(async () => {
    await node?.stop({ remove: true, timeout: 10_000 })
  })

  test('as its ServiceAccount, the operator creates, updates and deletes what a benchmark owns, and updates the benchmark', async () => {
    const api = new KubeApi(
      asOperator,
      createOperatorMetrics(() => 0),
    )
    const manifests = desiredState(cr, { processor: 'processor:test', generator: 'generator:test' }, 1, 'database')
    expect(manifests.map((m) => m.kind).sort()).toEqual(['Deployment', 'Job', 'Service'])
    for (const m of manifests) await api.apply(m) // server-side apply of a new object: create
    for (const m of manifests) await api.apply(m) // and of an existing one: patch
    const withFinalizer = await api.readBenchmark(namespace, 'run')
    await api.replaceBenchmark({ ...withFinalizer, metadata: { ...withFinalizer.metadata, finalizers: ['test/finalizer'] } })
    const current = await api.readBenchmark(namespace, 'run')
    await api.replaceStatus(current, { phase: 'Pending' })
    // The results scrape: processor pods from a cache (list and watch), each read through the pod proxy.
    // Its images do not exist here, so no pod runs, and the proxy's answer is that (not 403).
    const [scrape] = await api.replicaMetrics(namespace, ['run-processor-absent'])
    expect(scrape?.error).toMatch(/HTTP 404/)
    const may = async (verb: string, resource: string, subresource?: string) =>
      (
        await asOperator.makeApiClient(AuthorizationV1Api).createSelfSubjectAccessReview({
          body: { spec: { resourceAttributes: { verb, resource, subresource, namespace } } },
        })
      ).status?.allowed
    expect(await may('get', 'pods', 'proxy')).toBe(true)
    expect(await may('list', 'pods')).toBe(true)
    expect(await may('watch', 'pods')).toBe(true)
    for (const m of manifests) await api.delete(m.apiVersion, m.kind, namespace, m.metadata.name as string)
  })

  test.each([
    ['list', '', 'secrets'],
    ['get', '', 'secrets'],
    ['create', '', 'pods'],
    ['delete', '', 'nodes'],
    ['create', '', 'namespaces'],
    ['patch', 'rbac.authorization.k8s.io', 'clusterroles'],
    ['delete', 'apiextensions.k8s.io', 'customresourcedefinitions'],
    ['create', 'bench.performance-observatory.dev', 'pipelinebenchmarks'],
    ['delete', 'bench.performance-observatory.dev', 'pipelinebenchmarks'],
    ['get', '', 'services/proxy'],
    ['create', '', 'pods/proxy'],
    ['delete', '', 'pods'],
    ['get', '', 'pods/log'],
  ])('and nothing broader: it may not %s %s/%s', async (verb, group, resource) => {
    const [plural, subresource] = resource.split('/')
    const review = await asOperator.makeApiClient(AuthorizationV1Api).createSelfSubjectAccessReview({
      body: { spec: { resourceAttributes: { verb, group, resource: plural, subresource, namespace } } },
    })
    expect(review.status?.allowed).toBe(false)
  })
})
