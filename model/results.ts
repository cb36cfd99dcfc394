// What is judged: a run's results, each metric's verdict, and the baselines they are judged against. The
// JSON Schemas in reporters/schemas/ describe the same documents.
import type { Chart, Direction, Metric, RunFacts, SampleSummary } from './metric.ts'

export interface ChangePoint {
  /** Index of the first value after the change. */
  index: number
  before: number
  after: number
  /** after / before - 1, medians of the two segments. */
  change: number
  pValue: number
}

/**
 * `incomparable`: measured on another testbed than its baseline's, where the figure depends on the
 * machine's speed; the metric's `reason` says why and what gives a trustworthy answer.
 */
export type Verdict = 'improved' | 'unchanged' | 'regressed' | 'new' | 'missing' | 'incomparable'

/** How fast this process ran the fixed calibration workload (harness/calibration-workload.ts). */
export interface Calibration {
  opsPerSecond: number
  version: number
}

export interface Environment {
  profile: string
  profileReason: string
  cpuModel: string
  cores: number
  memoryBytes: number
  os: string
  node: string
  /** PostgreSQL the suites ran against, and the Kubernetes version where a cluster was used. */
  postgres?: string
  kubernetes?: string
  /** The testbed's speed: the calibration workload measured once per run (harness/calibration-workload.ts). */
  calibration?: Calibration
}

/** Whether a run was measured on its baseline's testbed (reporters/testbed.ts). */
export interface TestbedComparison {
  same: boolean
  /** The baseline's testbed, described. */
  baseline: string
  /** This run's calibration speed over the baseline's; null when the baseline has none. */
  speed: number | null
  /** What differs, one sentence each. */
  differences: string[]
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
  /** The runs that noise was estimated from: paired mode pools their degrees of freedom with the pairs'. */
  noiseRuns?: number
  /** One step of a stepped figure, relative (see Metric.resolution). */
  resolution?: number
  /** The relative change that counts: max(tolerance, NOISE_K x noise, resolution, the baseline's worst run). */
  threshold: number | null
  value: number | null
  baseline: number | null
  /** Relative change, (value - baseline) / baseline, after normalisation; null when either is absent. */
  change: number | null
  /** Where the change plausibly lies (95% from baseline noise; 98% exact from paired runs); null if unknown. */
  interval: [number, number] | null
  /** Paired mode: the one-sided p-value of "head is worse", before the family-wise adjustment. */
  pValue?: number
  /** Paired runs behind the change (`pnpm bench --against`); null for a single run against a baseline. */
  pairs: number | null
  /** The current figure per calibration workload (see Metric.perCalibration), when measured. */
  perCalibration: number | null
  /** Whether the change was judged on figures per calibration workload rather than raw ones. */
  normalized: boolean
  verdict: Verdict
  /** Why the verdict is `incomparable`, and how to get a trustworthy one. */
  reason?: string
  summary?: SampleSummary
  /** Recent runs of the judged figure (oldest first, this run last) and a shift found in them. */
  history?: MetricHistory
}

export interface MetricHistory {
  values: number[]
  changePoint: ChangePoint | null
}

export type SuiteStatus = 'passed' | 'failed' | 'skipped'

/** What every run of a suite has, measured or judged. */
interface SuiteRun {
  suite: string
  file: string
  status: SuiteStatus
  /** Why the suite failed or was skipped, in the suite's own words. */
  reason?: string
  durationMs: number
  calibration?: Calibration
}

export interface SuiteResult extends SuiteRun {
  /** What the suite was judged against, when not its committed baseline (this testbed's own history). */
  reference?: string
  metrics: JudgedMetric[]
  /** Series for the HTML report (latency distributions, throughput over time). */
  charts?: Chart[]
}

export interface RunResults {
  schemaVersion: 1
  startedAt: string
  finishedAt: string
  /** 'baseline': one run judged against baselines/; 'paired': base and head runs interleaved. */
  mode: 'baseline' | 'paired'
  /**
   * Paired mode: the git ref the head was compared with, the pairs judged, those replaced, those judged
   * although measured in a slow spell (no replacements left), and the suites that ran more pairs to confirm
   * a suspicious metric.
   */
  against?: { ref: string; commit: string; pairs: number; replaced: number; slowKept?: number; confirmed?: string[] }
  environment: Environment
  /** How the environment differs from the baselines' (fingerprint fields), one line each. */
  environmentNotes: string[]
  /** Against which testbed a baseline run was judged (the first suite's baseline that differs, else any). */
  testbed?: TestbedComparison
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
  /**
   * How far the baseline's worst run lay from its median in the bad direction (relative, >= 0; absent below
   * 3 runs). A single run no worse than a run of the baseline itself is no regression: robust noise ignores
   * a second mode (a figure that is 7 in three runs and 12.5 in two), this does not.
   */
  worstRun?: number
  runs?: number
  /** The median figure per calibration workload, for micro-benchmarks; `noise` is then its noise. */
  perCalibration?: number
}

export interface Baseline {
  schemaVersion: 1
  suite: string
  recordedAt: string
  environment: Environment
  /** The calibration workload's median over the runs, for normalising micro-benchmarks. */
  calibration?: Calibration
  metrics: Record<string, BaselineMetric>
}

/** What a suite produced, before judging. */
export interface MeasuredSuite extends SuiteRun {
  metrics: (Metric & { test: string })[]
  charts: Chart[]
  /** Versions the suite's process saw (PostgreSQL, Kubernetes), for the fingerprint. */
  facts?: RunFacts
}
