import pg from 'pg'
import { migrate, RESULTS_MIGRATIONS } from '../shared/migrate.ts'
import type { PipelineBenchmark, PipelineBenchmarkStatus } from './pipeline-benchmark.ts'

/** Where finished runs' reports go: the results database the API serves (table operator_reports). */
export interface ReportStore {
  save(cr: PipelineBenchmark, status: PipelineBenchmarkStatus): Promise<void>
  close(): Promise<void>
}

export async function openReportStore(databaseUrl: string): Promise<ReportStore> {
  const pool = new pg.Pool({ connectionString: databaseUrl, max: 2 })
  await migrate(pool, RESULTS_MIGRATIONS)
  return {
    async save(cr, status) {
      await pool.query(
        `INSERT INTO operator_reports (uid, namespace, name, generation, phase, spec, status)
         VALUES ($1, $2, $3, $4, $5, $6, $7)
         ON CONFLICT (uid) DO UPDATE SET generation = $4, phase = $5, spec = $6, status = $7, finished_at = now()`,
        [cr.metadata.uid, cr.metadata.namespace, cr.metadata.name, cr.metadata.generation, status.phase, cr.spec, status],
      )
    },
    close: () => pool.end(),
  }
}
