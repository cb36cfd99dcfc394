// Test helper: starts a local PostgreSQL, prints where it lives, and waits to be killed.
import { readFile } from 'node:fs/promises'
import { join } from 'node:path'
import { startLocalPostgres } from '../postgres.ts'

const postgres = await startLocalPostgres()
const postmasterPid = Number((await readFile(join(postgres.dataDir, 'postmaster.pid'), 'utf8')).split('\n')[0])
console.log(JSON.stringify({ dataDir: postgres.dataDir, postmasterPid }))
setInterval(() => {}, 1000)
