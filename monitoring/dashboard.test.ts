import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import { parser } from '@prometheus-io/lezer-promql'
import { expect } from 'vitest'
import { parseAllDocuments, parse as parseYaml } from 'yaml'
import { desiredState } from '../apps/operator/desired-state.ts'
import { createOperatorMetrics } from '../apps/operator/operator-metrics.ts'
import { testBenchmark } from '../apps/operator/test-benchmark.ts'
import { test } from '../harness/fixtures.ts'

// The Grafana dashboard and the Prometheus scrape configuration against the real apps: every metric a
// panel queries (each query parsed by the Prometheus project's own PromQL grammar) is one the processor, the
// API or the operator really exposes on /metrics, and every pod we ship or generate carries the annotations
// the scrape configuration keeps.
const HERE = import.meta.dirname
const dashboard = JSON.parse(readFileSync(join(HERE, 'grafana-dashboard.json'), 'utf8')) as {
  templating: { list: { name: string; type: string; query: string }[] }
  panels: { title: string; targets: { expr: string }[] }[]
}

/** A query as Grafana sends it: dashboard variables replaced by their values. */
function substituted(expr: string): string {
  return dashboard.templating.list.reduce((e, v) => e.replaceAll(`$${v.name}`, v.type === 'constant' ? v.query : '0'), expr)
}

/** The metric names a PromQL query selects; throws on a query the grammar does not accept. */
function selectedMetrics(expr: string): string[] {
  const tree = parser.parse(expr)
  const names: string[] = []
  let error = false
  tree.iterate({
    enter: (node) => {
      if (node.type.isError) error = true
      if (node.name === 'VectorSelector') {
        const identifier = node.node.getChild('Identifier')
        if (identifier) names.push(expr.slice(identifier.from, identifier.to))
      }
    },
  })
  if (error) throw new Error(`not valid PromQL: ${expr}`)
  return names
}

/** Every series name an exposition declares (# TYPE), histograms' and summaries' parts included. */
function exposedNames(text: string): Set<string> {
  const names = new Set<string>()
  for (const [, name, type] of text.matchAll(/^# TYPE (\S+) (\w+)$/gm)) {
    names.add(name as string)
    if (type === 'histogram') for (const part of ['_bucket', '_sum', '_count']) names.add(`${name}${part}`)
    if (type === 'summary') for (const part of ['_sum', '_count']) names.add(`${name}${part}`)
  }
  return names
}

test('every metric the dashboard queries exists in the real /metrics of the processor, the API or the operator', async ({
  processor,
  api,
}) => {
  const exposed = new Set<string>()
  for (const url of [processor.url, api.url])
    for (const name of exposedNames(await (await fetch(`${url}/metrics`)).text())) exposed.add(name)
  // The operator's own registry, as its /metrics serves it (it needs an API server to start the controller).
  for (const name of exposedNames(await createOperatorMetrics(() => 0).registry.metrics())) exposed.add(name)

  const queries = dashboard.panels.flatMap((p) => p.targets.map((t) => ({ panel: p.title, expr: substituted(t.expr) })))
  expect(queries.length).toBeGreaterThan(10)
  const missing = queries.flatMap(({ panel, expr }) =>
    selectedMetrics(expr)
      .filter((m) => !exposed.has(m))
      .map((m) => `${panel}: ${m}`),
  )
  expect(missing).toEqual([])
  // The checks can fail: a misspelt metric is missing, and a broken query does not parse.
  expect(selectedMetrics('rate(processor_events_comitted_total[30s])').filter((m) => !exposed.has(m))).toEqual([
    'processor_events_comitted_total',
  ])
  expect(() => selectedMetrics('sum(rate(processor_events_committed_total[30s])')).toThrow(/not valid PromQL/)
})

test('the baseline line follows the committed baseline, and every pod we ship or generate is scraped', () => {
  const baseline = JSON.parse(readFileSync(join(HERE, '..', 'baselines', 'pipeline.json'), 'utf8')) as {
    metrics: Record<string, { value: number }>
  }
  const committed = baseline.metrics['steady 50000 events/s for 5 s, optimized › sustained throughput']?.value as number
  const line = Number(dashboard.templating.list.find((v) => v.name === 'baseline_events_per_second')?.query)
  expect(Math.abs(line / committed - 1)).toBeLessThan(0.1)

  const config = parseYaml(readFileSync(join(HERE, 'prometheus.yml'), 'utf8')) as {
    scrape_configs: {
      kubernetes_sd_configs: { role: string }[]
      relabel_configs: { source_labels?: string[]; action?: string; regex?: string }[]
    }[]
  }
  const [job] = config.scrape_configs
  expect(job?.kubernetes_sd_configs[0]?.role).toBe('pod')
  const keep = job?.relabel_configs.find((r) => r.action === 'keep')
  expect(keep).toMatchObject({ source_labels: ['__meta_kubernetes_pod_annotation_prometheus_io_scrape'], regex: 'true' })

  type Pod = { metadata?: { annotations?: Record<string, string> }; spec: { containers: { ports?: { containerPort: number }[] }[] } }
  type Workload = { kind: string; metadata: { name: string }; spec?: { template?: Pod } }
  const shipped = ['apps/manifests/pipeline.yaml', 'apps/operator/manifests/operator.yaml'].flatMap((file) =>
    parseAllDocuments(readFileSync(join(HERE, '..', file), 'utf8')).map((d) => d.toJS() as Workload),
  )
  const generated = desiredState(
    testBenchmark({ sources: [{ kind: 'market', rate: 1000 }], processing: { strategy: 'optimized', replicas: { min: 1, max: 1 } } }),
    { processor: 'p', generator: 'g' },
    1,
    'db',
  ) as unknown as Workload[]
  const deployments = [...shipped, ...generated].filter((w) => w.kind === 'Deployment')
  expect(deployments.map((d) => d.metadata.name).sort()).toEqual(['api', 'operator', 'processor', 'run-processor'])
  for (const d of deployments) {
    const annotations = d.spec?.template?.metadata?.annotations ?? {}
    const ports = d.spec?.template?.spec.containers.flatMap((c) => c.ports?.map((p) => String(p.containerPort)) ?? []) ?? []
    expect(annotations['prometheus.io/scrape'], d.metadata.name).toBe('true')
    expect(annotations['prometheus.io/path'], d.metadata.name).toBe('/metrics')
    expect(ports, d.metadata.name).toContain(annotations['prometheus.io/port'])
  }
})
