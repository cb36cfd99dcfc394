// What is judged: a run's results, each metric's verdict, and the baselines they are judged against.
// Each document is declared once, as a TypeBox schema; its TypeScript type is derived from it, the writers
// validate against it, and reporters/schemas/*.json are generated from it (pnpm schemas).
import { type Static, Type } from '@sinclair/typebox'
import { Chart, CpuProfileRecord, Direction, GrownFunctions, type Metric, type RunFacts, SampleSummary } from './metric.ts'
import { Nullable, StringEnum } from './typebox.ts'

const closed = { additionalProperties: false } as const
const Interval = Type.Tuple([Type.Number(), Type.Number()])
const Count = Type.Integer({ minimum: 0 })

export const ChangePoint = Type.Object(
  {
    index: Type.Integer({ description: 'Index of the first value after the change.' }),
    before: Type.Number(),
    after: Type.Number(),
    change: Type.Number({ description: 'after / before - 1, medians of the two segments.' }),
    pValue: Type.Number(),
  },
  closed,
)
export type ChangePoint = Static<typeof ChangePoint>

const VERDICTS = ['improved', 'unchanged', 'regressed', 'new', 'missing', 'incomparable'] as const
/**
 * `incomparable`: measured on another testbed than its baseline's, where the figure depends on the
 * machine's speed; the metric's `reason` says why and what gives a trustworthy answer.
 */
export type Verdict = (typeof VERDICTS)[number]

export const Calibration = Type.Object(
  { opsPerSecond: Type.Number({ exclusiveMinimum: 0 }), version: Type.Integer({ minimum: 1 }) },
  { ...closed, description: 'How fast this process ran the fixed calibration workload (harness/calibration-workload.ts).' },
)
export type Calibration = Static<typeof Calibration>

export const Environment = Type.Object(
  {
    profile: Type.String(),
    profileReason: Type.String(),
    cpuModel: Type.String(),
    cores: Type.Integer({ minimum: 1 }),
    memoryBytes: Type.Number({ minimum: 0 }),
    os: Type.String(),
    node: Type.String(),
    postgres: Type.Optional(Type.String({ description: 'PostgreSQL the suites ran against.' })),
    kubernetes: Type.Optional(Type.String({ description: 'The Kubernetes version, where a cluster was used.' })),
    calibration: Type.Optional(Calibration),
  },
  closed,
)
export type Environment = Static<typeof Environment>

export const TestbedComparison = Type.Object(
  {
    same: Type.Boolean(),
    baseline: Type.String({ description: "The baseline's testbed, described." }),
    speed: Nullable(Type.Number({ description: "This run's calibration speed over the baseline's; null when the baseline has none." })),
    differences: Type.Array(Type.String(), { description: 'What differs, one sentence each.' }),
  },
  { ...closed, description: "Whether a run was measured on its baseline's testbed (reporters/testbed.ts)." },
)
export type TestbedComparison = Static<typeof TestbedComparison>

export const MetricHistory = Type.Object(
  { values: Type.Array(Type.Number()), changePoint: Nullable(ChangePoint) },
  { ...closed, description: 'Recent runs of the judged figure (oldest first, this run last) and a shift found in them.' },
)
export type MetricHistory = Static<typeof MetricHistory>

/** What every judged metric carries, whatever its verdict. */
const metricFields = {
  key: Type.String({ description: '`<test name> › <metric name>`, unique in a suite.' }),
  test: Type.String(),
  name: Type.String(),
  unit: Type.String(),
  direction: Direction,
  tolerance: Nullable(Type.Number({ description: "The suite's configured tolerance." })),
  noise: Nullable(Type.Number({ description: "The baseline's between-run noise (relative sd), when calibrated from several runs." })),
  noiseRuns: Type.Optional(
    Type.Integer({
      minimum: 1,
      description: "The runs that noise was estimated from: paired mode pools their degrees of freedom with the pairs'.",
    }),
  ),
  resolution: Type.Optional(Type.Number({ description: 'One step of a stepped figure, relative (see Metric.resolution).' })),
  explains: Type.Optional(
    Type.Boolean({
      description: 'A figure that explains a change (see Metric.explains): paired mode judges it only behind a primary one.',
    }),
  ),
  threshold: Nullable(
    Type.Number({ description: "The relative change that counts: max(tolerance, NOISE_K x noise, resolution, the baseline's worst run)." }),
  ),
  pValue: Type.Optional(
    Type.Number({ description: 'Paired mode: the one-sided p-value of "head is worse", before the family-wise adjustment.' }),
  ),
  pairs: Nullable(
    Type.Integer({ minimum: 1, description: 'Paired runs behind the change (`pnpm bench --against`); null for a single run.' }),
  ),
  pairNoise: Type.Optional(
    Type.Number({
      description:
        "Paired mode: the pairs' own noise, the sd of one pair's log ratio (trimmed, winsorized), before pooling with the baseline's.",
    }),
  ),
  perCalibration: Nullable(Type.Number({ description: 'The current figure per calibration workload (see Metric.perCalibration).' })),
  normalized: Type.Boolean({ description: 'Whether the change was judged on figures per calibration workload rather than raw ones.' }),
  summary: Type.Optional(SampleSummary),
  history: Type.Optional(MetricHistory),
}
/** A state that has no comparison: no relative change and no interval. */
const uncompared = { change: Type.Null(), interval: Type.Null() }

const NewMetric = Type.Object(
  { ...metricFields, ...uncompared, verdict: Type.Literal('new'), value: Type.Number(), baseline: Type.Null() },
  { ...closed, description: 'Measured, with nothing to compare it with.' },
)
const MissingMetric = Type.Object(
  { ...metricFields, ...uncompared, verdict: Type.Literal('missing'), value: Type.Null(), baseline: Type.Number() },
  { ...closed, description: 'In the baseline (or the base ref), not measured now.' },
)
const IncomparableMetric = Type.Object(
  {
    ...metricFields,
    ...uncompared,
    verdict: Type.Literal('incomparable'),
    value: Type.Number(),
    baseline: Type.Number(),
    reason: Type.String({ description: 'Why it is incomparable, and how to get a trustworthy verdict.' }),
  },
  { ...closed, description: "Measured on another testbed than its baseline's, where the figure depends on the machine's speed." },
)
const ComparedMetric = Type.Object(
  {
    ...metricFields,
    verdict: StringEnum(['improved', 'unchanged', 'regressed']),
    value: Type.Number(),
    baseline: Type.Number(),
    change: Nullable(
      Type.Number({ description: 'Relative change, (value - baseline) / baseline, after normalisation; null for a zero baseline.' }),
    ),
    interval: Nullable(Interval, {
      description: 'Where the change plausibly lies (95% from baseline noise; 98% exact from paired runs); null if unknown.',
    }),
  },
  { ...closed, description: 'Compared with its baseline (or the base ref) and judged.' },
)

export const JudgedMetric = Type.Union([NewMetric, MissingMetric, IncomparableMetric, ComparedMetric])
/** A metric with its verdict; the verdict tells which fields are there (`reason` only when incomparable). */
export type JudgedMetric = Static<typeof JudgedMetric>
export type ComparedMetric = Static<typeof ComparedMetric>

export const SuiteStatus = StringEnum(['passed', 'failed', 'skipped'])
export type SuiteStatus = Static<typeof SuiteStatus>

/** What every run of a suite has, measured or judged. */
const suiteRunFields = {
  suite: Type.String(),
  file: Type.String(),
  status: SuiteStatus,
  reason: Type.Optional(Type.String({ description: "Why the suite failed or was skipped, in the suite's own words." })),
  durationMs: Type.Number(),
  calibration: Type.Optional(Calibration),
}
interface SuiteRun {
  suite: string
  file: string
  status: SuiteStatus
  reason?: string
  durationMs: number
  calibration?: Calibration
}

export const SuiteResult = Type.Object(
  {
    ...suiteRunFields,
    reference: Type.Optional(
      Type.String({ description: "What the suite was judged against, when not its committed baseline (this testbed's own history)." }),
    ),
    metrics: Type.Array(JudgedMetric),
    charts: Type.Optional(Type.Array(Chart, { description: 'Series for the HTML report.' })),
    profiles: Type.Optional(Type.Array(CpuProfileRecord, { description: 'CPU profiles of the apps under load, per scenario.' })),
    grownFunctions: Type.Optional(
      Type.Array(GrownFunctions, { description: 'Paired mode, a suite with a regression: where head spends more CPU than base.' }),
    ),
  },
  closed,
)
export type SuiteResult = Static<typeof SuiteResult>

const verdictCounts = Object.fromEntries(VERDICTS.map((v) => [v, Count])) as Record<Verdict, typeof Count>

export const RunResults = Type.Object(
  {
    schemaVersion: Type.Literal(1),
    startedAt: Type.String(),
    finishedAt: Type.String(),
    mode: StringEnum(['baseline', 'paired'], {
      description: "'baseline': one run judged against baselines/; 'paired': base and head runs interleaved.",
    }),
    against: Type.Optional(
      Type.Object(
        {
          ref: Type.String(),
          commit: Type.String(),
          pairs: Type.Integer({ minimum: 1 }),
          replaced: Type.Integer({ minimum: 0 }),
          slowKept: Type.Optional(Type.Integer({ minimum: 0 })),
          confirmed: Type.Optional(Type.Array(Type.String())),
        },
        {
          ...closed,
          description:
            'Paired mode: the git ref the head was compared with, the pairs judged, those replaced, those judged although measured in a slow spell (no replacements left), and the suites that ran more pairs to confirm a suspicious metric.',
        },
      ),
    ),
    environment: Environment,
    environmentNotes: Type.Array(Type.String(), {
      description: "How the environment differs from the baselines' (fingerprint fields), one line each.",
    }),
    testbed: Type.Optional(TestbedComparison),
    suites: Type.Array(SuiteResult),
    errors: Type.Array(Type.String(), { description: 'Problems that make the verdicts untrustworthy (a malformed baseline, say).' }),
    summary: Type.Object({ ...verdictCounts, failedSuites: Count, skippedSuites: Count }, closed),
  },
  { ...closed, title: 'performance-observatory results of one `pnpm bench` run' },
)
export type RunResults = Static<typeof RunResults>

export const BaselineMetric = Type.Object(
  {
    value: Type.Number({ description: 'The median over `runs` runs.' }),
    unit: Type.String(),
    direction: Direction,
    noise: Type.Optional(
      Type.Number({
        minimum: 0,
        description: 'Between-run noise, a relative standard deviation (1.4826 x MAD / median); absent below 3 runs.',
      }),
    ),
    worstRun: Type.Optional(
      Type.Number({
        minimum: 0,
        description:
          "How far the worst run lay from the median in the bad direction (relative; absent below 3 runs). A single run no worse than one of the baseline's own is no regression: robust noise ignores a second mode, this does not.",
      }),
    ),
    runs: Type.Optional(Type.Integer({ minimum: 1 })),
    explains: Type.Optional(Type.Boolean({ description: 'See Metric.explains.' })),
    perCalibration: Type.Optional(
      Type.Number({
        exclusiveMinimum: 0,
        description: 'The median figure per calibration workload, for micro-benchmarks; `noise` is then its noise.',
      }),
    ),
  },
  closed,
)
export type BaselineMetric = Static<typeof BaselineMetric>

export const Baseline = Type.Object(
  {
    $schema: Type.Optional(Type.String()),
    schemaVersion: Type.Literal(1),
    suite: Type.String({ minLength: 1 }),
    recordedAt: Type.String({ minLength: 1 }),
    environment: Environment,
    calibration: Type.Optional(Calibration),
    metrics: Type.Record(Type.String(), BaselineMetric),
  },
  { ...closed, title: 'performance-observatory baseline: the accepted figures of one suite' },
)
export type Baseline = Static<typeof Baseline>

/** What a suite produced, before judging; it never leaves the process, so it has no schema. */
export interface MeasuredSuite extends SuiteRun {
  metrics: (Metric & { test: string })[]
  charts: Chart[]
  profiles?: CpuProfileRecord[]
  /** Versions the suite's process saw (PostgreSQL, Kubernetes), for the fingerprint. */
  facts?: RunFacts
}
