import { parseArgs } from 'node:util'
import { announce, onShutdownRequest } from '../shared/lifecycle.ts'
import { migrate, RESULTS_MIGRATIONS } from '../shared/migrate.ts'
import { openPool } from '../shared/pool.ts'
import { buildApi } from './server.ts'

// Flags override environment variables; both are listed by --help.
const { values: flags } = parseArgs({
  options: {
    port: { type: 'string', default: process.env.PORT ?? '8081' },
    host: { type: 'string', default: process.env.HOST ?? '127.0.0.1' },
    'database-url': { type: 'string', default: process.env.DATABASE_URL },
    'processor-url': { type: 'string', default: process.env.PROCESSOR_URL },
    help: { type: 'boolean', default: false },
  },
})

if (flags.help) {
  console.log('api [--port PORT] [--host HOST] --database-url URL [--processor-url URL]\nEnvironment: PORT HOST DATABASE_URL PROCESSOR_URL')
  process.exit(0)
}
if (!flags['database-url']) {
  console.error('api: set --database-url or DATABASE_URL to a PostgreSQL connection string.')
  process.exit(2)
}
const port = Number(flags.port)
if (!Number.isInteger(port) || port < 0) {
  console.error(`api: --port must be a non-negative integer, got '${flags.port}'.`)
  process.exit(2)
}

const pool = openPool({ connectionString: flags['database-url'], max: 4 }, (error) =>
  console.error(`api: an idle database connection ended: ${error.message}`),
)
// The results tables are the harness's and the API's shared schema: whoever starts first creates them.
await migrate(pool, RESULTS_MIGRATIONS)
const app = await buildApi({ pool, ...(flags['processor-url'] ? { processorUrl: flags['processor-url'] } : {}) })
onShutdownRequest(async () => {
  await app.close()
  await pool.end()
})
const address = await app.listen({ port, host: flags.host })
announce({ event: 'listening', port: Number(new URL(address).port) })
