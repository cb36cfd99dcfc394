import { appendFileSync, existsSync, readFileSync } from 'node:fs'
import type { Strategy } from '../apps/processor/writers.ts'
import type { Metric } from '../model/metric.ts'
import type { JudgedMetric, RunResults } from '../model/results.ts'
import { appsDirOf, startApp } from './apps.ts'
import type { StartedApp, StartedPostgres } from './environment.ts'
import { servesLoads, withGenerator } from './generator-session.ts'
import { queryRows } from './sql.ts'

/**
 * Side by side: in a paired run (`pnpm bench --against REF`), the capacity suite measures the base's
 * processor and the head's in one run, their steps taking turns, instead of in two runs minutes apart. This
 * machine's CPU speed drifts by up to 1.8x within the hour; in turns both sides see the same minutes of it.
 * Measured (scripts/side-by-side-experiment.ts): CPU per event at 100k events/s varied 2.3-2.8% between
 * identical processors side by side, against about 9% between the two runs of a pair.
 *
 * The head's run starts the base tree's processor and generator on a database of its own on the same
 * server (a pull request may change the migrations), and writes the base's figures to a file of metric
 * lines that scripts/bench.ts turns into the pair's base results.
 */
export const SIDE_BY_SIDE_ENV = 'BENCH_SIDE_BY_SIDE'

export interface SideBySide {
  /** The base's checkout, with its dependencies installed (scripts/worktree.ts). */
  baseRoot: string
  /** Where the base's figures go, one JSON line per metric. */
  baseMetrics: string
  /** Which side takes the first turn: alternated between pairs, as paired mode alternates whole runs. */
  first: 'base' | 'head'
  /** Every BENCH_PLANT_* of the head's environment, zeroed: a planted regression belongs to the head only. */
  baseEnv: Record<string, string>
}

export function sideBySide(env: NodeJS.ProcessEnv = process.env): SideBySide | undefined {
  const raw = env[SIDE_BY_SIDE_ENV]
  return raw ? (JSON.parse(raw) as SideBySide) : undefined
}

/** One processor a side-by-side test measures, and where its figures go. */
export interface MeasuredSide {
  side: 'base' | 'head'
  processor: StartedApp
  postgres: StartedPostgres
  record(metric: Metric): void
}

const BASE_DATABASE = 'observatory_base'
let baseDatabase: Promise<string> | undefined

/** A database for the base's processor on the head's server, created once per run. */
function baseDatabaseOf(postgres: StartedPostgres): Promise<string> {
  baseDatabase ??= (async () => {
    await queryRows(postgres.url, `DROP DATABASE IF EXISTS ${BASE_DATABASE}`)
    await queryRows(postgres.url, `CREATE DATABASE ${BASE_DATABASE}`)
    const url = new URL(postgres.url)
    url.pathname = `/${BASE_DATABASE}`
    return url.toString()
  })()
  return baseDatabase
}

/**
 * The sides a test measures, in the order of their first turn: the head alone, or, side by side, the base's
 * processor of the same strategy beside it. Where the apps run here, each side's load comes from one
 * generator of its own tree that stays up for the test (harness/generator-session.ts). stop() stops what
 * this started.
 */
export async function measuredSides(
  head: Omit<MeasuredSide, 'side'>,
  { test, strategy }: { test: string; strategy: Strategy },
): Promise<{ sides: MeasuredSide[]; stop(): Promise<void> }> {
  const run = sideBySide()
  if (head.processor.runLoad) {
    // Pods: the cluster's generator Jobs drive the load.
    if (run) throw new Error('Side by side needs the apps as processes here; run the paired gate on the local or docker profile.')
    return { sides: [{ side: 'head', ...head }], stop: async () => {} }
  }
  // Both sides' generators stay up, or neither does: a base older than --serve starts one for every step.
  const warm = !run || servesLoads(appsDirOf(run.baseRoot))
  const headLoad = withGenerator(head.processor, { warm })
  const headSide: MeasuredSide = { side: 'head', ...head, processor: headLoad.processor }
  if (!run) return { sides: [headSide], stop: headLoad.stop }
  const url = await baseDatabaseOf(head.postgres)
  const appsDir = appsDirOf(run.baseRoot)
  const started = await startApp('processor', [`--database-url=${url}`, `--strategy=${strategy}`], 0, 'typescript', {
    appsDir,
    env: run.baseEnv,
  })
  const baseLoad = withGenerator(started, { appsDir, warm })
  const base: MeasuredSide = {
    side: 'base',
    processor: baseLoad.processor,
    postgres: { ...head.postgres, url },
    record: (metric) => appendFileSync(run.baseMetrics, `${JSON.stringify({ test, metric })}\n`),
  }
  const stop = async () => {
    await Promise.all([headLoad.stop(), baseLoad.stop()])
    await started.stop()
  }
  return { sides: run.first === 'base' ? [base, headSide] : [headSide, base], stop }
}

/** Runs steps one at a time in the order they are asked for: two searches through it take turns. */
export function turns(): <T>(step: () => Promise<T>) => Promise<T> {
  let queue: Promise<unknown> = Promise.resolve()
  return (step) => {
    const next = queue.then(step)
    queue = next.catch(() => undefined)
    return next
  }
}

/**
 * The base's results of a side-by-side suite: the head's results with that suite's figures replaced by the
 * base's (the metric lines its run wrote), so the pair is judged like any other. A metric the base did not
 * record is left out, and judged as missing from it.
 */
export function baseResultsOf(head: RunResults, suite: string, baseMetrics: string, first: SideBySide['first']): RunResults {
  const lines = existsSync(baseMetrics) ? readFileSync(baseMetrics, 'utf8').split('\n').filter(Boolean) : []
  const values = new Map<string, number>()
  for (const line of lines) {
    const { test, metric } = JSON.parse(line) as { test: string; metric: Metric }
    values.set(`${test} › ${metric.name}`, metric.value)
  }
  // The head's figures of one run carry no sample summary for the base: a side-by-side figure is one value.
  const baseOf = ({ summary: _, ...m }: JudgedMetric): JudgedMetric[] => {
    const value = values.get(m.key)
    return value === undefined || m.value === null ? [] : [{ ...m, value, perCalibration: null } as JudgedMetric]
  }
  // Stored pairs (scripts/stored-pairs.ts) read which side went first from the start times: the side that
  // took the first turn is stored as starting a millisecond before the other.
  const startedAt = new Date(Date.parse(head.startedAt) + (first === 'base' ? -1 : 1)).toISOString()
  return {
    ...head,
    startedAt,
    suites: head.suites.map((s) => (s.suite === suite ? { ...s, metrics: s.metrics.flatMap(baseOf) } : s)),
  }
}
