-- The operator's full report of each PipelineBenchmark run: one row per resource (uid), written when the
-- run ends (Completed or Failed) and rewritten if it is reconciled again, so the write is idempotent.
CREATE TABLE operator_reports (
  uid text PRIMARY KEY,
  namespace text NOT NULL,
  name text NOT NULL,
  generation bigint NOT NULL,
  phase text NOT NULL,
  finished_at timestamptz NOT NULL DEFAULT now(),
  spec jsonb NOT NULL,
  status jsonb NOT NULL
);
CREATE INDEX operator_reports_by_name ON operator_reports (namespace, name, finished_at DESC);
