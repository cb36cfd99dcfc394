// Test helper: starts a PostgreSQL container, prints its id, and waits to be killed.
import { startContainerPostgres } from '../postgres.ts'

const postgres = await startContainerPostgres()
console.log(JSON.stringify({ containerId: postgres.containerId }))
setInterval(() => {}, 1000)
