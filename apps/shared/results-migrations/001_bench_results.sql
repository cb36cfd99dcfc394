-- Benchmark runs and their judged metrics: written by the harness after every `pnpm bench`, read back for
-- trends and change points, and served by the API (GET /api/v1/runs, /api/v1/runs/:id/report).
CREATE TABLE bench_runs (
  id bigserial PRIMARY KEY,
  started_at timestamptz NOT NULL,
  finished_at timestamptz NOT NULL,
  mode text NOT NULL CHECK (mode IN ('baseline', 'paired')),
  git_commit text,
  environment jsonb NOT NULL,
  summary jsonb NOT NULL,
  -- The whole results document (results.schema.json), for the report endpoint.
  report jsonb NOT NULL
);

CREATE TABLE bench_metrics (
  run_id bigint NOT NULL REFERENCES bench_runs (id) ON DELETE CASCADE,
  suite text NOT NULL,
  key text NOT NULL,
  unit text NOT NULL,
  direction text NOT NULL,
  value double precision,
  per_calibration double precision,
  baseline double precision,
  change double precision,
  verdict text NOT NULL,
  PRIMARY KEY (run_id, suite, key)
);

-- Trends read one metric's recent runs.
CREATE INDEX bench_metrics_suite_key ON bench_metrics (suite, key, run_id DESC);
