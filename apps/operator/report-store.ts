import { migrate, RESULTS_MIGRATIONS } from '../shared/migrate.ts'
import { openPool } from '../shared/pool.ts'
import type { PipelineBenchmark, PipelineBenchmarkStatus, RunSummary } from './pipeline-benchmark.ts'

/** Where finished runs' reports go: the results database the API serves (table operator_reports). */
export interface ReportStore {
  save(cr: PipelineBenchmark, status: PipelineBenchmarkStatus): Promise<void>
  /** The newest completed report of that name with figures, for a baselineRef; undefined if there is none. */
  latestSummary(namespace: string, name: string): Promise<{ summary: RunSummary; finishedAt: string } | undefined>
  close(): Promise<void>
}

export async function openReportStore(databaseUrl: string): Promise<ReportStore> {
  const pool = openPool({ connectionString: databaseUrl, max: 2 })
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
    async latestSummary(namespace, name) {
      const { rows } = await pool.query<{ summary: RunSummary; finished_at: Date }>(
        `SELECT status->'summary' AS summary, finished_at FROM operator_reports
         WHERE namespace = $1 AND name = $2 AND phase = 'Completed' AND status ? 'summary'
         ORDER BY finished_at DESC LIMIT 1`,
        [namespace, name],
      )
      const [row] = rows
      return row ? { summary: row.summary, finishedAt: row.finished_at.toISOString() } : undefined
    },
    close: () => pool.end(),
  }
}
