// `pnpm bench [suite filters] [--profile NAME] [--implementation NAME] [--fail-on-regression] [--against REF [--pairs N]]`
// `pnpm bench:update [suite filters] [--runs N]`
// Chooses the profile once and runs the benchmark suites with vitest. A plain run turns the reporter's
// verdicts into an exit code: a failed suite or an invalid baseline always fails; a regression fails when
// CI=true or with --fail-on-regression. An update runs the suites N times and writes new baselines from
// the medians and their between-run noise, for the suites that passed every run. With --against, the ref
// is checked out in a temporary worktree and base and head run interleaved; pairs of runs are judged.
import { spawn } from 'node:child_process'
import { createWriteStream, existsSync, rmSync } from 'node:fs'
import { mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises'
import { createRequire } from 'node:module'
import { tmpdir } from 'node:os'
import { dirname, join, relative } from 'node:path'
import { parseArgs } from 'node:util'
import { startLiveServer } from '../apps/api/live-server.ts'
import { probeContainerEngine } from '../harness/container-engine.ts'
import { chosenImplementation, IMPLEMENTATION_ENV, implementationUnavailable, measuredSuite } from '../harness/implementations.ts'
import { LIVE_TARGET_ENV } from '../harness/live-target.ts'
import { chooseProfile, PROFILE_ENV, PROFILE_REASON_ENV } from '../harness/profile.ts'
import { baseResultsOf, SIDE_BY_SIDE_ENV, type SideBySide } from '../harness/side-by-side.ts'
import type { CpuProfileRecord } from '../model/metric.ts'
import type { RunResults, SuiteResult } from '../model/results.ts'
import type { RunDescription } from '../model/run-description.ts'
import { baselinePath, writeBaseline } from '../reporters/baseline-file.ts'
import { baselinesFromRuns } from '../reporters/calibration.ts'
import { decideExit } from '../reporters/exit-decision.ts'
import { firstSideOf, mergeRuns, type RunPair, SLOW_SPELL_FRACTION } from '../reporters/paired.ts'
import { CONFIRM_PAIRS, MINIMUM_PAIRS, PAIRED_DEFAULT_PAIRS } from '../reporters/paired-defaults.ts'
import { runGate } from '../reporters/paired-gate.ts'
import { grownFunctions, grownLines } from '../reporters/profile-diff.ts'
import { referencesBeforeRun } from '../reporters/references.ts'
import { RUN_DESCRIPTION_ENV, writeRunDescription } from '../reporters/run-description.ts'
import type { FirstSide as Side } from '../reporters/stats/paired-change.ts'
import { summarize } from '../reporters/verdict.ts'
import { publishRun, resultsFileFor } from '../reporters/write-results.ts'
import { suiteFilters, suiteNames } from './suite-selection.ts'
import { createWorktree } from './worktree.ts'

const USAGE = `usage: pnpm bench [FILTER...] [--profile local|docker|kwok|k3s|kube|cluster] [--implementation typescript|rust]
                  [--fail-on-regression] [--allow-skipped A,B]
       pnpm bench [FILTER...] --against REF [--pairs N] [--confirm-pairs N]
       pnpm bench:update [FILTER...] [--runs N]
  FILTER                suite file name filters, e.g. 'processor'; none: every suite but soak, which
                        only runs when named (pnpm bench soak)
  --profile NAME        where to run (default: ${PROFILE_ENV}, else detected)
  --implementation NAME the processor the suites start (default typescript); another's figures are judged
                        as suites of their own, e.g. pipeline@rust, with a baseline of its own
  --fail-on-regression  exit 1 when a metric regressed (implied by CI=true)
  --allow-skipped A,B   suites this run is not meant to measure: under CI=true any other suite that
                        measured nothing (skipped) fails the run
  --against REF         paired mode: run REF (a branch, tag or commit) and this tree interleaved and judge
                        head against base by paired ratios instead of against baselines/
  --pairs N             with --against: base/head pairs of every suite (default ${PAIRED_DEFAULT_PAIRS}, at least ${MINIMUM_PAIRS})
  --confirm-pairs N     with --against: pairs a suite with a suspicious metric is taken to (default
                        ${CONFIRM_PAIRS}); not above --pairs: no confirmation stage
  --keep-live           keep the live page (its URL is printed first) up after the run, until Ctrl-C
  --update              write baselines/<suite>.json (what pnpm bench:update does)
  --runs N              with --update: runs to take medians and noise from (default 5)`

/** Ends the command with `code` after `finally` blocks ran (a paired run removes its worktree). */
class Stop extends Error {
  readonly code: number
  constructor(code: number, message: string) {
    super(message)
    this.code = code
  }
}

const ROOT = join(import.meta.dirname, '..')
/** Where a tree's committed baselines are; another directory for a baseline of another testbed (docs/statistics.md). */
const BASELINES_DIR_ENV = 'BENCH_BASELINES_DIR'
const baselinesDirOf = (root: string) => process.env[BASELINES_DIR_ENV] ?? join(root, 'baselines')
const BASELINES_DIR = baselinesDirOf(ROOT)
/**
 * What a base ref from before the run description (model/run-description.ts) reads instead: its reporter
 * learns where to write and that it writes only that from these. Drop once no base that old is compared.
 */
const LEGACY_RESULTS_FILE_ENV = 'BENCH_RESULTS_FILE'
const LEGACY_RESULTS_ONLY_ENV = 'BENCH_RESULTS_ONLY'
/**
 * Suites whose paired runs measure base and head side by side in one run (harness/side-by-side.ts): the
 * capacity figures, which follow this machine's CPU speed from one minute to the next.
 */
const SIDE_BY_SIDE_SUITES = ['capacity']

/** Every BENCH_PLANT_* variable set in this environment, zeroed: the base side of a paired run has none. */
const PLANTS_OFF = Object.fromEntries(Object.keys(process.env).flatMap((k) => (k.startsWith('BENCH_PLANT_') ? [[k, '0']] : [])))
const DEFAULT_UPDATE_RUNS = 5

let args: ReturnType<typeof parse>
try {
  args = parse()
} catch (error) {
  exitWith(2, `${(error as Error).message}\n${USAGE}`)
}
if (args.values.help) {
  console.log(USAGE)
  process.exit(0)
}
const allowSkipped = (args.values['allow-skipped'] ?? []).flatMap((v) => v.split(',')).filter(Boolean)
const keepLive = args.values['keep-live'] ?? false
const unknownSuites = allowSkipped.filter((name) => !existsSync(join(ROOT, 'suites', `${name}.bench.ts`)))
if (unknownSuites.length > 0) exitWith(2, `bench: --allow-skipped names no suite: ${unknownSuites.join(', ')} (suites/<name>.bench.ts).`)
const runs = args.values.runs === undefined ? (args.values.update ? DEFAULT_UPDATE_RUNS : 1) : Number(args.values.runs)
if (!Number.isInteger(runs) || runs < 1) exitWith(2, `bench: --runs must be a positive integer, got '${args.values.runs}'.`)
if (runs > 1 && !args.values.update) exitWith(2, 'bench: --runs applies to --update (pnpm bench:update) only.')
const filters = suiteFilters(join(ROOT, 'suites'), args.positionals)
const pairs = Number(args.values.pairs ?? PAIRED_DEFAULT_PAIRS)
if (args.values.pairs !== undefined && !args.values.against) exitWith(2, 'bench: --pairs applies to --against only.')
if (!Number.isInteger(pairs) || pairs < MINIMUM_PAIRS) {
  exitWith(
    2,
    `bench: --pairs must be an integer of at least ${MINIMUM_PAIRS} (fewer pairs give the test no spread of its own), got '${args.values.pairs}'.`,
  )
}
const confirmPairs = Number(args.values['confirm-pairs'] ?? CONFIRM_PAIRS)
if (args.values['confirm-pairs'] !== undefined && !args.values.against) exitWith(2, 'bench: --confirm-pairs applies to --against only.')
if (!Number.isInteger(confirmPairs) || confirmPairs < 0) {
  exitWith(2, `bench: --confirm-pairs must be a non-negative integer, got '${args.values['confirm-pairs']}'.`)
}
if (args.values.against && args.values.update)
  exitWith(2, 'bench: --against and --update do not combine; baselines come from this tree alone.')

// The suites' processes and the reporter read it from the environment (harness/implementations.ts).
if (args.values.implementation !== undefined) process.env[IMPLEMENTATION_ENV] = args.values.implementation
try {
  const implementation = chosenImplementation()
  if (implementation !== 'typescript' && args.values.against)
    exitWith(2, `bench: --against compares two trees on the TypeScript processor only; drop --implementation ${implementation}.`)
  const unavailable = implementationUnavailable(implementation)
  if (unavailable) exitWith(2, `bench: ${unavailable}.`)
} catch (error) {
  exitWith(2, `bench: ${(error as Error).message}`)
}
let profile: ReturnType<typeof chooseProfile>
try {
  const requested = args.values.profile ?? process.env[PROFILE_ENV]
  profile = chooseProfile(requested, requested ? { usable: false, detail: 'not probed' } : await probeContainerEngine())
} catch (error) {
  exitWith(2, `bench: ${(error as Error).message}`)
}
console.log(`bench: profile ${profile.name}: ${profile.reason}`)

// The live page follows whichever processor a suite started last (harness/live-target.ts). Its folder goes
// on any exit: exitWith ends the process without running `finally`.
const liveDir = await mkdtemp(join(tmpdir(), 'bench-live-'))
process.once('exit', () => rmSync(liveDir, { recursive: true, force: true }))
process.env[LIVE_TARGET_ENV] = join(liveDir, 'processor-url')
const live = await startLiveServer(process.env[LIVE_TARGET_ENV])
console.log(
  `bench: live page: ${live.url}/live (throughput, queue depth, end-to-end p99 and RSS of the running processor` +
    `${keepLive ? '; it stays up after the run until Ctrl-C' : '; --keep-live keeps it up after the run'})`,
)
try {
  if (args.values.update) await update()
  else if (args.values.against) await paired(args.values.against)
  else await judge()
  if (keepLive) {
    console.log(`bench: the live page stays up at ${live.url}/live; Ctrl-C stops it.`)
    await new Promise((resolve) => process.once('SIGINT', resolve).once('SIGTERM', resolve))
  }
} catch (error) {
  if (error instanceof Stop) exitWith(error.code, error.message)
  throw error
} finally {
  await live.close()
}

async function judge(): Promise<void> {
  const { code, results, file } = await runVitest({
    references: await referencesBeforeRun(
      suiteNames(join(ROOT, 'suites'), filters).map((suite) => measuredSuite(suite)),
      BASELINES_DIR,
      profile,
    ),
  })
  if (!results) exitWith(code || 1, `bench: vitest exited ${code} without writing ${file}; see its output above.`)
  // History is recorded after vitest returns: the reporter judges and writes, it provisions nothing.
  decide(await publishRun(results, file, ROOT), code)
}

function decide(results: RunResults, code: number): void {
  const decision = decideExit(results, code, {
    ci: process.env.CI === 'true',
    failOnRegression: args.values['fail-on-regression'] ?? false,
    // Named by file; the results name them by implementation too (pipeline@rust).
    allowSkipped: allowSkipped.map((suite) => measuredSuite(suite)),
  })
  for (const line of decision.lines) (decision.code === 0 ? console.log : console.error)(line)
  // Exits with it once the live page is closed (or, with --keep-live, once it has been looked at).
  if (decision.code !== 0) process.exitCode = decision.code
}

async function update(): Promise<void> {
  const all: RunResults[] = []
  const references = await referencesBeforeRun(
    suiteNames(join(ROOT, 'suites'), filters).map((suite) => measuredSuite(suite)),
    BASELINES_DIR,
    profile,
  )
  for (let i = 1; i <= runs; i++) {
    console.log(`bench:update: run ${i} of ${runs}`)
    const { results, code, file } = await runVitest({ references })
    if (!results) exitWith(code || 1, `bench:update: run ${i} wrote no results (${file}); no baseline was changed.`)
    all.push(await publishRun(results, file, ROOT))
  }
  const dir = BASELINES_DIR
  const notUpdated: string[] = []
  for (const outcome of baselinesFromRuns(all, new Date().toISOString())) {
    const file = relative(process.cwd(), baselinePath(dir, outcome.suite, profile.name))
    if ('skipped' in outcome) {
      console.error(`bench:update: ${file} not updated: the suite ${outcome.skipped}`)
      notUpdated.push(outcome.suite)
      continue
    }
    await writeBaseline(baselinePath(dir, outcome.suite, profile.name), outcome.baseline)
    const noisy = Object.entries(outcome.baseline.metrics).filter(([, m]) => (m.noise ?? 0) > 0.1)
    console.log(`bench:update: ${file} updated from ${runs} run(s), ${Object.keys(outcome.baseline.metrics).length} metrics`)
    for (const [key, m] of noisy) console.log(`  noisy: ${key} varies ±${Math.round((m.noise ?? 0) * 100)}% between runs`)
  }
  // What was recorded stays recorded. The suites that were not fail the update as they fail `pnpm bench`:
  // a failed one always, one that measured nothing under CI unless the workflow allows it by name.
  const unrecorded = notUpdated.flatMap((suite) => {
    const problem = all.flatMap((r) => r.suites).find((s) => s.suite === suite && s.status !== 'passed')
    return problem ? [{ ...problem, metrics: [] }] : []
  })
  const decision = decideExit({ ...(all.at(-1) as RunResults), errors: [], suites: unrecorded }, 0, {
    ci: process.env.CI === 'true',
    failOnRegression: false,
    allowSkipped: allowSkipped.map((suite) => measuredSuite(suite)),
  })
  for (const line of decision.lines) (decision.code === 0 ? console.log : console.error)(line)
  if (decision.code !== 0) exitWith(decision.code, 'bench:update: failing; the other baselines were written.')
}

/**
 * Paired mode: base (REF in a temporary worktree) and head (this tree) run alternately, suite by suite, so the
 * two runs of one suite are minutes apart at most and a slow spell of the machine hits both more often than
 * one; each side's reporter only writes its results file. runGate decides how many pairs of which suites,
 * and judges them together.
 */
/**
 * What one side of a pair needs beyond the run description: a base tree from before the description reads
 * the legacy variables, and a planted regression (scripts/gate-experiment.ts) belongs to the head only.
 */
function sideEnv(side: Side, file: string): Record<string, string> {
  return side === 'base' ? { [LEGACY_RESULTS_FILE_ENV]: file, [LEGACY_RESULTS_ONLY_ENV]: '1', ...PLANTS_OFF } : {}
}

async function paired(ref: string): Promise<void> {
  const started = Date.now()
  const log = (line: string) => console.log(`bench --against ${ref} [${elapsed(started)}]: ${line}`)
  const worktree = await createWorktree(ROOT, ref, log).catch((error: Error) => exitWith(2, `bench: ${error.message}`))
  const dir = resultsFileFor(ROOT, new Date(), 'paired').replace(/\.json$/, '')
  await mkdir(dir, { recursive: true })
  let suites = suiteNames(join(ROOT, 'suites'), filters)
  if (suites.length === 0) exitWith(2, `bench: no suite matches ${args.positionals.join(' ')} (suites/<name>.bench.ts).`)
  const all = [...suites]
  let pairNumber = 0
  const measure = async (only: string[] | undefined, slot: number): Promise<RunPair> => {
    const i = ++pairNumber
    const parts: Record<Side, RunResults[]> = { base: [], head: [] }
    const firstSide: Record<string, Side> = {}
    for (const suite of only ?? suites) {
      // Base first in one pair, head first in the next (and alternating between suites): of two back-to-back
      // runs the first often goes faster here (the API suite's by 10-13%), and the judge estimates that away.
      firstSide[suite] = firstSideOf(slot, all.indexOf(suite))
      const order: Side[] = firstSide[suite] === 'base' ? ['base', 'head'] : ['head', 'base']
      const figures: string[] = []
      if (SIDE_BY_SIDE_SUITES.includes(suite) && existsSync(join(worktree.dir, 'suites', `${suite}.bench.ts`))) {
        const both = await sideBySideRun(suite, i, firstSide[suite])
        for (const side of order) parts[side].push(both[side])
        log(
          `pair ${i}${only ? ' (confirming)' : ''}: ${suite}, side by side: ${order.map((s) => `${s}${describeRun(both[s])}`).join('; ')}`,
        )
        continue
      }
      for (const side of order) {
        const root = side === 'base' ? worktree.dir : ROOT
        if (!existsSync(join(root, 'suites', `${suite}.bench.ts`))) continue // judged as missing from the base
        const file = join(dir, `${side}-${i}-${suite}.json`)
        const { code, results } = await runVitest({
          root,
          file,
          log: file.replace(/json$/, 'log'),
          filters: [`suites/${suite}.bench.ts`],
          progress: false,
          // A planted regression (scripts/gate-experiment.ts) belongs to the head's code only.
          // No profiled passes in the pairs: they would only lengthen the gate (profileRegressed does them).
          env: { BENCH_CPU_PROFILE: 'off', ...sideEnv(side, file) },
        })
        if (!results) {
          throw new Stop(
            code || 1,
            `bench: the ${side} run of ${suite} in pair ${i} wrote no results (exit ${code}); its output is in ${relative(process.cwd(), file.replace(/json$/, 'log'))}.`,
          )
        }
        parts[side].push(results)
        figures.push(`${side}${describeRun(results)}`)
      }
      log(`pair ${i}${only ? ' (confirming)' : ''}: ${suite}: ${figures.join('; ')}`)
    }
    const head = mergeRuns(parts.head) // every suite is the head's own
    const base = parts.base.length ? mergeRuns(parts.base) : { ...head, suites: [], summary: summarize([]) }
    const pair = { base, head, firstSide }
    // A suite that measured nothing on both sides (the operator without a control plane) is not run again.
    const skipped = (s: SuiteResult) =>
      s.status === 'skipped' && pair.base.suites.some((b) => b.suite === s.suite && b.status === 'skipped')
    suites = suites.filter((suite) => !pair.head.suites.some((s) => s.suite === suite && skipped(s)))
    return pair
  }
  /**
   * One run of `suite` in the head's tree that measures the base's processor beside the head's
   * (harness/side-by-side.ts); the base's results are the head's with the base's figures, written beside
   * them as the pair's base-N file, so stored pairs replay like any other.
   */
  const sideBySideRun = async (suite: string, i: number, first: Side): Promise<Record<Side, RunResults>> => {
    const [file, baseFile] = [join(dir, `head-${i}-${suite}.json`), join(dir, `base-${i}-${suite}.json`)]
    const baseMetrics = join(dir, `base-${i}-${suite}.metrics.jsonl`)
    const run: SideBySide = { baseRoot: worktree.dir, baseMetrics, first, baseEnv: PLANTS_OFF }
    const { code, results } = await runVitest({
      root: ROOT,
      file,
      log: file.replace(/json$/, 'log'),
      filters: [`suites/${suite}.bench.ts`],
      progress: false,
      env: { BENCH_CPU_PROFILE: 'off', [SIDE_BY_SIDE_ENV]: JSON.stringify(run) },
    })
    if (!results) {
      throw new Stop(
        code || 1,
        `bench: the side-by-side run of ${suite} in pair ${i} wrote no results (exit ${code}); its output is in ${relative(process.cwd(), file.replace(/json$/, 'log'))}.`,
      )
    }
    const base = baseResultsOf(results, suite, baseMetrics, first)
    await writeFile(baseFile, `${JSON.stringify(base, null, 2)}\n`)
    return { base, head: results }
  }
  /**
   * Each suite with a regression runs once more on each side with CPU profiles on, and the report names the
   * functions whose share of the CPU grew most in head (reporters/profile-diff.ts).
   */
  const profileRegressed = async (judged: RunResults) => {
    const resultsDir = dirname(resultsFileFor(ROOT, new Date()))
    for (const suite of judged.suites.filter((s) => s.metrics.some((m) => m.verdict === 'regressed'))) {
      const profiles: Record<Side, CpuProfileRecord[]> = { base: [], head: [] }
      for (const side of ['base', 'head'] as const) {
        const file = join(dir, `${side}-profiled-${suite.suite}.json`)
        log(`${suite.suite} regressed: profiling its ${side} once more`)
        const { results } = await runVitest({
          root: side === 'base' ? worktree.dir : ROOT,
          file,
          log: file.replace(/json$/, 'log'),
          filters: [`suites/${suite.suite}.bench.ts`],
          progress: false,
          env: sideEnv(side, file),
        })
        // The profile files sit beside that side's results; the run's results are in results/.
        const recorded = results?.suites.find((s) => s.suite === suite.suite)?.profiles ?? []
        profiles[side] = recorded.map((p) => ({ ...p, file: relative(resultsDir, join(dirname(file), p.file)) }))
      }
      suite.profiles = profiles.head
      suite.grownFunctions = grownFunctions(profiles.base, profiles.head)
      if (profiles.base.length === 0 || profiles.head.length === 0) log(`${suite.suite}: no CPU profiles on one side to compare`)
      for (const line of grownLines(suite.grownFunctions)) log(`grown in head: ${line}`)
    }
  }
  let judged: RunResults
  try {
    judged = await runGate(measure, { pairs, confirmPairs }, { ref, commit: worktree.commit })
    await profileRegressed(judged)
  } finally {
    await worktree.remove()
  }
  if (judged.against?.confirmed) log(`confirmed with ${confirmPairs} pairs: ${judged.against.confirmed.join(', ')}`)
  const { replaced = 0, slowKept = 0 } = judged.against ?? {}
  log(
    `done: ${pairNumber} pairs in ${elapsed(started)}` +
      (replaced ? `; ${replaced} replaced as slow spells (calibration below ${SLOW_SPELL_FRACTION} of the median)` : '') +
      (slowKept ? `; ${slowKept} judged although in a slow spell (no replacements left; the mildest were kept)` : ''),
  )
  decide(await publishRun(judged, resultsFileFor(ROOT, new Date()), ROOT), 0)
}

/** ` (validate batch 45,120 ops/s, ...)`: the first figures of a run, so progress shows numbers. */
function describeRun(results: RunResults): string {
  const figures = results.suites.flatMap((s) => s.metrics.filter((m) => m.value !== null).slice(0, 2))
  return figures.length ? ` (${figures.map((m) => `${m.name} ${progressFigure(m.value as number)} ${m.unit}`).join(', ')})` : ''
}

/** Whole numbers for large figures, 3 significant digits for small ones (0.27 CPU s, not 0). */
function progressFigure(value: number): string {
  return value.toLocaleString('en-US', Math.abs(value) >= 100 ? { maximumFractionDigits: 0 } : { maximumSignificantDigits: 3 })
}

interface VitestRun {
  root?: string
  /** Suite file filters; default: the command line's. */
  filters?: string[]
  file?: string
  /** Write vitest's output here instead of to the terminal. */
  log?: string
  /** This testbed's own references, and what was noted finding them (none for the sides of a pair). */
  references?: Pick<RunDescription, 'references' | 'notes'>
  progress?: boolean
  env?: Record<string, string>
}

async function runVitest(run: VitestRun = {}): Promise<{ code: number; results: RunResults | undefined; file: string }> {
  const root = run.root ?? ROOT
  const file = run.file ?? resultsFileFor(ROOT, new Date())
  const vitestCli = join(createRequire(join(root, 'package.json')).resolve('vitest/package.json'), '..', 'vitest.mjs')
  const descriptionDir = await mkdtemp(join(tmpdir(), 'bench-run-'))
  const descriptionFile = join(descriptionDir, 'run.json')
  writeRunDescription(descriptionFile, {
    resultsFile: file,
    // The base side of a pair reads the same directory when one is given, as a base from before this did.
    baselinesDir: baselinesDirOf(root),
    profile: { name: profile.name, reason: profile.reason },
    ...(run.references ?? { references: {}, notes: [] }),
    progress: run.progress ?? true,
  })
  const child = spawn(process.execPath, [vitestCli, 'bench', '--run', ...(run.filters ?? filters)], {
    cwd: root,
    stdio: run.log ? ['inherit', 'pipe', 'pipe'] : 'inherit',
    // The profile variables are the harness's (the suites' processes start what the profile says).
    env: {
      ...process.env,
      ...run.env,
      [PROFILE_ENV]: profile.name,
      [PROFILE_REASON_ENV]: profile.reason,
      [RUN_DESCRIPTION_ENV]: descriptionFile,
    },
  })
  if (run.log) {
    const out = createWriteStream(run.log)
    child.stdout?.pipe(out)
    child.stderr?.pipe(out)
  }
  // Ctrl-C reaches vitest through the terminal; we only wait for it to finish cleaning up.
  const forward = (signal: NodeJS.Signals) => child.kill(signal)
  process.on('SIGINT', forward).on('SIGTERM', forward)
  const [code, signal] = await new Promise<[number | null, NodeJS.Signals | null]>((resolve) => child.on('exit', (c, s) => resolve([c, s])))
  process.off('SIGINT', forward).off('SIGTERM', forward)
  await rm(descriptionDir, { recursive: true, force: true })
  if (signal) throw new Stop(130, `bench: interrupted (${signal}); the harness stops what it started, no results were judged.`)
  const results = await readFile(file, 'utf8')
    .then((text) => JSON.parse(text) as RunResults)
    .catch(() => undefined)
  return { code: code ?? 1, results, file }
}

function elapsed(since: number): string {
  const s = Math.round((Date.now() - since) / 1000)
  return `${Math.floor(s / 60)}m${String(s % 60).padStart(2, '0')}s`
}

function exitWith(code: number, message: string): never {
  console.error(message)
  process.exit(code)
}

function parse() {
  return parseArgs({
    allowPositionals: true,
    options: {
      profile: { type: 'string' },
      implementation: { type: 'string' },
      'fail-on-regression': { type: 'boolean', default: false },
      'allow-skipped': { type: 'string', multiple: true },
      update: { type: 'boolean', default: false },
      runs: { type: 'string' },
      against: { type: 'string' },
      pairs: { type: 'string' },
      'confirm-pairs': { type: 'string' },
      'keep-live': { type: 'boolean', default: false },
      help: { type: 'boolean', short: 'h', default: false },
    },
  })
}
