import type { Direction, Metric } from '../harness/metric.ts'

export type Verdict = 'improved' | 'unchanged' | 'regressed' | 'new' | 'missing'

export interface Environment {
  profile: string
  profileReason: string
  cpuModel: string
  cores: number
  memoryBytes: number
  os: string
  node: string
}

/** A metric with its baseline and verdict. `key` is `<test name> › <metric name>`, unique in a suite. */
export interface JudgedMetric {
  key: string
  test: string
  name: string
  unit: string
  direction: Direction
  /** The suite's configured tolerance. */
  tolerance: number | null
  /** The baseline's between-run noise (relative sd), when it was calibrated from several runs. */
  noise: number | null
  /** The relative change that counts: max(tolerance, NOISE_K x noise). */
  threshold: number | null
  value: number | null
  baseline: number | null
  /** Relative change, (value - baseline) / baseline; null when either is absent. */
  change: number | null
  verdict: Verdict
}

export type SuiteStatus = 'passed' | 'failed' | 'skipped'

export interface SuiteResult {
  suite: string
  file: string
  status: SuiteStatus
  /** Why the suite failed or was skipped, in the suite's own words. */
  reason?: string
  durationMs: number
  metrics: JudgedMetric[]
}

export interface RunResults {
  schemaVersion: 1
  startedAt: string
  finishedAt: string
  environment: Environment
  suites: SuiteResult[]
  /** Problems that make the verdicts untrustworthy (a malformed baseline, say). */
  errors: string[]
  summary: Record<Verdict, number> & { failedSuites: number; skippedSuites: number }
}

export interface BaselineMetric {
  /** The median over `runs` runs. */
  value: number
  unit: string
  direction: Direction
  /** Between-run noise, a relative standard deviation (1.4826 x MAD / median); absent below 3 runs. */
  noise?: number
  runs?: number
}

export interface Baseline {
  schemaVersion: 1
  suite: string
  recordedAt: string
  environment: Environment
  metrics: Record<string, BaselineMetric>
}

/** What a suite produced, before judging. */
export interface MeasuredSuite {
  suite: string
  file: string
  status: SuiteStatus
  reason?: string
  durationMs: number
  metrics: (Metric & { test: string })[]
}
