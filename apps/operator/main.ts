import { parseArgs } from 'node:util'
import { KubeConfig } from '@kubernetes/client-node'
import { announce, onShutdownRequest } from '../shared/lifecycle.ts'
import { Controller } from './controller.ts'
import { openReportStore } from './report-store.ts'

// Flags override environment variables; both are listed by --help.
const { values: flags } = parseArgs({
  options: {
    'processor-image': { type: 'string', default: process.env.PROCESSOR_IMAGE ?? 'performance-observatory/processor:dev' },
    'generator-image': { type: 'string', default: process.env.GENERATOR_IMAGE ?? 'performance-observatory/generator:dev' },
    'database-url-secret': { type: 'string', default: process.env.DATABASE_URL_SECRET ?? 'pipeline-database' },
    concurrency: { type: 'string', default: process.env.CONCURRENCY ?? '4' },
    'metrics-port': { type: 'string', default: process.env.METRICS_PORT ?? '8081' },
    'api-qps': { type: 'string', default: process.env.API_QPS ?? '50' },
    'database-url': { type: 'string', default: process.env.DATABASE_URL },
    help: { type: 'boolean', default: false },
  },
})

if (flags.help) {
  console.log(
    'operator [--processor-image IMAGE] [--generator-image IMAGE] [--database-url-secret NAME] [--concurrency N] [--metrics-port PORT] [--api-qps N]\n         [--database-url URL]   (reports of finished runs go to its operator_reports table)\n' +
      'The cluster comes from KUBECONFIG, ~/.kube/config, or the pod service account in a cluster.\n' +
      'Environment: PROCESSOR_IMAGE GENERATOR_IMAGE DATABASE_URL_SECRET CONCURRENCY METRICS_PORT API_QPS DATABASE_URL',
  )
  process.exit(0)
}

const kc = new KubeConfig()
kc.loadFromDefault()
if (!kc.getCurrentCluster()) {
  console.error('operator: no Kubernetes cluster configured; set KUBECONFIG or run inside a cluster.')
  process.exit(2)
}
for (const flag of ['concurrency', 'metrics-port', 'api-qps'] as const) {
  if (!Number.isInteger(Number(flags[flag])) || Number(flags[flag]) < 0) {
    console.error(`operator: --${flag} must be a whole number, not '${flags[flag]}'.`)
    process.exit(2)
  }
}
const reports = flags['database-url'] ? await openReportStore(flags['database-url']) : undefined
const controller = new Controller(kc, {
  reports,
  images: { processor: flags['processor-image'], generator: flags['generator-image'] },
  databaseUrlSecret: flags['database-url-secret'],
  concurrency: Number(flags.concurrency),
  metricsPort: Number(flags['metrics-port']),
  apiWritesPerSecond: Number(flags['api-qps']),
  log: (line) => console.error(`operator: ${line}`),
})
onShutdownRequest(async () => {
  await controller.stop()
  await reports?.close()
})
const port = await controller.start()
announce({ event: 'listening', port })
