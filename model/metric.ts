// What a suite records: one measured figure, its samples summarised, a chart series and the versions it
// ran against. Harness, suites and reporters all import it from here (model/results.ts holds what is judged).
// What a results file carries is declared once, as a TypeBox schema: the TypeScript type is derived from it
// and reporters/schemas/*.json are generated from it (pnpm schemas), so the two cannot drift.
import { type Static, Type } from '@sinclair/typebox'
import { Nullable, StringEnum } from './typebox.ts'

export const Direction = StringEnum(['higher', 'lower'], {
  description: 'Whether a bigger number is better (throughput) or worse (latency, memory).',
})
export type Direction = Static<typeof Direction>

/** One measured figure and the rule that judges it against its baseline. */
export interface Metric {
  name: string
  value: number
  unit: string
  direction: Direction
  /** Relative change tolerated before the verdict is 'regressed' or 'improved' (0.1 = 10%). */
  tolerance: number
  /**
   * For a CPU-bound figure measured in the suite's own process (a micro-benchmark): the figure divided by
   * the calibration workload measured right beside it, which cancels how fast the machine ran just then.
   * When both sides of a comparison have it, this is what is judged.
   */
  perCalibration?: number
  /**
   * For a stepped figure (a search that resolves a rate to 5%, say): one step, relative. A change smaller
   * than a step is not a change, and paired mode counts the step as noise.
   */
  resolution?: number
  /**
   * Whether the figure means the same on a machine of another speed: a count or an exactness check. Such
   * figures are judged against a baseline from another testbed; the others are `incomparable` there (even
   * figures per calibration workload and ratios: measured to move 11-56% between testbeds here).
   */
  transfers?: boolean
  /**
   * A figure that explains a change rather than being one: an app's heap, allocation, GC and event-loop
   * delay. In paired mode it is judged only when a primary figure of the run moved the same way
   * (reporters/paired.ts), so it adds no false alarm to an unchanged pull request.
   */
  explains?: boolean
  /** The samples behind the figure, summarised (rounds of a micro-benchmark, a latency histogram). */
  summary?: SampleSummary
}

const Pair = Type.Tuple([Type.Number(), Type.Number()])

export const SampleSummary = Type.Object(
  {
    n: Type.Integer({ minimum: 0 }),
    mean: Type.Number(),
    median: Type.Number(),
    p90: Type.Number(),
    p95: Type.Number(),
    p99: Type.Number(),
    min: Type.Number(),
    max: Type.Number(),
    sd: Type.Number(),
    medianInterval: Nullable(Pair, {
      description: 'A distribution-free interval of the median at >= 95% (order statistics), null below 6 samples.',
    }),
    samples: Type.Optional(
      Type.Array(Type.Number(), { description: 'The samples themselves when few (the rounds of a micro-benchmark).' }),
    ),
    hdrBase64: Type.Optional(Type.String({ description: 'Or their HDR histogram, base64 (latencies).' })),
  },
  { additionalProperties: false, description: "A figure's samples, summarised: what the HTML report shows beside the verdict." },
)
export type SampleSummary = Static<typeof SampleSummary>

export const Chart = Type.Object(
  {
    kind: StringEnum(['latency-cdf', 'throughput']),
    label: Type.String(),
    points: Type.Array(Pair),
  },
  {
    additionalProperties: false,
    description: 'A series for the HTML report: a latency distribution (percentile → ms) or throughput over time (s → events/s).',
  },
)
export type Chart = Static<typeof Chart>

const FlameNode = Type.Recursive(
  (Self) =>
    Type.Object(
      {
        name: Type.String(),
        value: Type.Number({ minimum: 0, description: 'Samples in this frame and everything it called.' }),
        children: Type.Array(Self),
      },
      { additionalProperties: false },
    ),
  { $id: 'FlameNode', description: 'A call tree for a flame graph (d3-flame-graph), frames under 0.2% of the samples left out.' },
)
export type FlameNode = Static<typeof FlameNode>

export const CpuProfileRecord = Type.Object(
  {
    test: Type.String({ description: 'The scenario (test) the profile covers.' }),
    app: Type.String({ description: 'The process profiled: processor, generator, api.' }),
    file: Type.String({ description: "The V8 .cpuprofile (speedscope, Chrome DevTools), relative to the results file's folder." }),
    heapSnapshot: Type.Optional(
      Type.String({
        description: 'With BENCH_HEAP_SNAPSHOT=on: a .heapsnapshot of the app after the pass (Chrome DevTools), relative as `file`.',
      }),
    ),
    durationMs: Type.Number({ minimum: 0 }),
    samples: Type.Integer({ minimum: 0 }),
    busyShare: Type.Number({ minimum: 0, maximum: 1, description: 'Share of samples not idle: the CPU the app used over the profile.' }),
    top: Type.Array(
      Type.Object(
        {
          function: Type.String(),
          location: Type.String({ description: 'url:line, or empty for V8 internals such as (garbage collector).' }),
          selfShare: Type.Number({
            minimum: 0,
            maximum: 1,
            description: "Share of busy samples in the function itself, with Node's and V8's built-ins charged to their caller.",
          }),
        },
        { additionalProperties: false },
      ),
      { description: 'Functions by self time, highest first (30).' },
    ),
    flame: FlameNode,
  },
  { additionalProperties: false, description: 'A CPU profile of one app over one scenario, sampled by V8 during the load.' },
)
export type CpuProfileRecord = Static<typeof CpuProfileRecord>

export const GrownFunctions = Type.Object(
  {
    test: Type.String(),
    app: Type.String(),
    functions: Type.Array(
      Type.Object(
        {
          function: Type.String(),
          location: Type.String(),
          baseShare: Type.Number({ minimum: 0, maximum: 1 }),
          headShare: Type.Number({ minimum: 0, maximum: 1 }),
        },
        { additionalProperties: false },
      ),
      { description: 'The functions whose share of self time grew most from base to head, most first.' },
    ),
  },
  { additionalProperties: false, description: "A paired run's differential CPU profile of one app in one scenario." },
)
export type GrownFunctions = Static<typeof GrownFunctions>

/** Versions of what a suite ran against, which only the suite's own process can see. */
export interface RunFacts {
  postgres?: string
  kubernetes?: string
}
