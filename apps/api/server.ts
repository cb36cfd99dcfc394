import websocket from '@fastify/websocket'
import Fastify, { type FastifyInstance } from 'fastify'
import type pg from 'pg'
import { collectDefaultMetrics, Gauge, Histogram, Registry } from 'prom-client'
import { serveRuntimeWindow } from '../shared/runtime-window.ts'
import { serveLive } from './live-routes.ts'
import { benchmarkReport, deviceWindows, listRuns, marketWindows, runReport, serviceWindows, tableExists } from './queries.ts'

export interface ApiOptions {
  pool: pg.Pool
  /** The processor whose figures /api/v1/live pushes; without one the live feed says so and closes. */
  processorUrl?: string
}

const MAX_WINDOWS = 10_000

/** The query/report API: benchmark runs and reports, market aggregates, and the processor live (a page at /live). */
export async function buildApi({ pool, processorUrl }: ApiOptions): Promise<FastifyInstance> {
  const app = Fastify({ logger: false, ajv: { customOptions: { coerceTypes: true, allErrors: false } } })
  const registry = new Registry()
  collectDefaultMetrics({ register: registry })
  const requestSeconds = new Histogram({
    name: 'api_request_duration_seconds',
    help: 'HTTP request time by route and status',
    labelNames: ['route', 'status'] as const,
    buckets: [0.001, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 1],
    registers: [registry],
  })
  const liveClients = new Gauge({ name: 'api_live_clients', help: 'Open /api/v1/live connections', registers: [registry] })
  app.addHook('onResponse', async (request, reply) => {
    requestSeconds.observe({ route: request.routeOptions.url ?? 'unknown', status: String(reply.statusCode) }, reply.elapsedTime / 1000)
  })
  // Every error is JSON that names what was wrong; validation errors name the field.
  app.setErrorHandler((error: { statusCode?: number; message: string }, _request, reply) => {
    const status = error.statusCode && error.statusCode < 500 ? error.statusCode : 500
    reply.code(status).send({ error: status === 500 ? 'internal error' : error.message })
  })
  await app.register(websocket)

  app.get('/healthz', async () => {
    await pool.query('SELECT 1')
    return { status: 'ok' }
  })

  app.get('/metrics', async (_request, reply) => {
    reply.type(registry.contentType)
    return registry.metrics()
  })
  serveRuntimeWindow(app)

  app.get<{ Querystring: { limit: number; offset: number } }>(
    '/api/v1/runs',
    {
      schema: {
        querystring: {
          type: 'object',
          additionalProperties: false,
          properties: {
            limit: { type: 'integer', minimum: 1, maximum: 500, default: 50 },
            offset: { type: 'integer', minimum: 0, default: 0 },
          },
        },
      },
    },
    async (request) => {
      if (!(await tableExists(pool, 'bench_runs'))) return { runs: [] }
      return { runs: await listRuns(pool, request.query.limit, request.query.offset) }
    },
  )

  app.get<{ Params: { id: number } }>(
    '/api/v1/runs/:id/report',
    { schema: { params: { type: 'object', properties: { id: { type: 'integer', minimum: 1 } }, required: ['id'] } } },
    async (request, reply) => {
      const report = (await tableExists(pool, 'bench_runs')) ? await runReport(pool, request.params.id) : undefined
      if (report === undefined) return reply.code(404).send({ error: `no benchmark run ${request.params.id}` })
      return report
    },
  )

  // A PipelineBenchmark's report, as the operator stored it when the run ended. Names as Kubernetes allows them.
  const kubernetesName = { type: 'string', pattern: '^[a-z0-9]([-a-z0-9.]*[a-z0-9])?$', maxLength: 253 }
  app.get<{ Params: { namespace: string; name: string } }>(
    '/api/v1/benchmarks/:namespace/:name',
    {
      schema: {
        params: {
          type: 'object',
          properties: { namespace: { ...kubernetesName, maxLength: 63 }, name: kubernetesName },
          required: ['namespace', 'name'],
        },
      },
    },
    async (request, reply) => {
      const { namespace, name } = request.params
      const report = (await tableExists(pool, 'operator_reports')) ? await benchmarkReport(pool, namespace, name) : undefined
      if (report === undefined) return reply.code(404).send({ error: `no report of the PipelineBenchmark ${namespace}/${name}` })
      return report
    },
  )

  // Per-key one-second windows over a time range: market symbols, IoT devices, log services.
  const aggregates = [
    { path: 'market', key: 'symbol', table: 'market_ohlc_1s_vwap', read: marketWindows },
    { path: 'iot', key: 'device', table: 'iot_stats_1s', read: deviceWindows },
    { path: 'logs', key: 'service', table: 'log_counts_1s', read: serviceWindows },
  ] as const
  for (const { path, key, table, read } of aggregates) {
    app.get<{ Querystring: Record<string, string> & { from: string; to: string; limit: number } }>(
      `/api/v1/aggregates/${path}`,
      {
        schema: {
          querystring: {
            type: 'object',
            required: [key, 'from', 'to'],
            properties: {
              [key]: { type: 'string', minLength: 1, maxLength: 64 },
              from: { type: 'string', format: 'date-time' },
              to: { type: 'string', format: 'date-time' },
              limit: { type: 'integer', minimum: 1, maximum: MAX_WINDOWS, default: 1000 },
            },
          },
        },
      },
      async (request, reply) => {
        const name = request.query[key] as string
        const [from, to] = [new Date(request.query.from), new Date(request.query.to)]
        if (to <= from) return reply.code(400).send({ error: 'querystring/to must be after querystring/from' })
        if (!(await tableExists(pool, table))) return { [key]: name, windows: [] }
        return { [key]: name, windows: await read(pool, name, from, to, request.query.limit) }
      },
    )
  }

  serveLive(app, { ...(processorUrl ? { target: async () => processorUrl } : {}), clients: liveClients })

  return app
}
