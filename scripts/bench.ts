// `pnpm bench [suite filters] [--profile NAME] [--fail-on-regression]`
// `pnpm bench:update [suite filters] [--runs N]`
// Chooses the profile once and runs the benchmark suites with vitest. A plain run turns the reporter's
// verdicts into an exit code: a failed suite or an invalid baseline always fails; a regression fails when
// CI=true or with --fail-on-regression. An update runs the suites N times and writes new baselines from
// the medians and their between-run noise, for the suites that passed every run.
import { spawn } from 'node:child_process'
import { readFile } from 'node:fs/promises'
import { createRequire } from 'node:module'
import { join, relative } from 'node:path'
import { parseArgs } from 'node:util'
import { probeContainerEngine } from '../harness/container-engine.ts'
import { chooseProfile, PROFILE_ENV, PROFILE_REASON_ENV } from '../harness/profile.ts'
import { baselinePath, writeBaseline } from '../reporters/baseline-file.ts'
import { baselinesFromRuns } from '../reporters/calibration.ts'
import { BASELINES_DIR_ENV, RESULTS_FILE_ENV } from '../reporters/run-env.ts'
import type { RunResults } from '../reporters/types.ts'

const USAGE = `usage: pnpm bench [FILTER...] [--profile local|docker|k3s|cluster] [--fail-on-regression]
       pnpm bench:update [FILTER...] [--runs N]
  FILTER                suite file name filters, e.g. 'processor'
  --profile NAME        where to run (default: ${PROFILE_ENV}, else detected)
  --fail-on-regression  exit 1 when a metric regressed (implied by CI=true)
  --update              write baselines/<suite>.json (what pnpm bench:update does)
  --runs N              with --update: runs to take medians and noise from (default 5)`

const ROOT = join(import.meta.dirname, '..')
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
const runs = args.values.runs === undefined ? (args.values.update ? DEFAULT_UPDATE_RUNS : 1) : Number(args.values.runs)
if (!Number.isInteger(runs) || runs < 1) exitWith(2, `bench: --runs must be a positive integer, got '${args.values.runs}'.`)
if (runs > 1 && !args.values.update) exitWith(2, 'bench: --runs applies to --update (pnpm bench:update) only.')

let profile: ReturnType<typeof chooseProfile>
try {
  const requested = args.values.profile ?? process.env[PROFILE_ENV]
  profile = chooseProfile(requested, requested ? { usable: false, detail: 'not probed' } : await probeContainerEngine())
} catch (error) {
  exitWith(2, `bench: ${(error as Error).message}`)
}
console.log(`bench: profile ${profile.name}: ${profile.reason}`)

if (args.values.update) await update()
else await judge()

async function judge(): Promise<void> {
  const { code, results, file } = await runVitest()
  if (!results) exitWith(code || 1, `bench: vitest exited ${code} without writing ${file}; see its output above.`)
  const failOnRegression = args.values['fail-on-regression'] || process.env.CI === 'true'
  const regressed = results.suites.flatMap((s) => s.metrics.filter((m) => m.verdict === 'regressed').map((m) => `${s.suite} › ${m.key}`))
  if (results.errors.length > 0) exitWith(1, `bench: ${results.errors.length} error(s) make these verdicts unusable; fix them first.`)
  if (code !== 0 || results.summary.failedSuites > 0) process.exit(code || 1)
  if (regressed.length > 0) {
    const verb = failOnRegression ? 'failing' : 'not failing (set CI=true or --fail-on-regression to fail)'
    console.error(`bench: ${regressed.length} regressed, ${verb}:\n${regressed.map((r) => `  - ${r}`).join('\n')}`)
    if (failOnRegression) process.exit(1)
  }
}

async function update(): Promise<void> {
  const all: RunResults[] = []
  for (let i = 1; i <= runs; i++) {
    console.log(`bench:update: run ${i} of ${runs}`)
    const { results, code, file } = await runVitest()
    if (!results) exitWith(code || 1, `bench:update: run ${i} wrote no results (${file}); no baseline was changed.`)
    all.push(results)
  }
  const dir = process.env[BASELINES_DIR_ENV] ?? join(ROOT, 'baselines')
  let skipped = 0
  for (const outcome of baselinesFromRuns(all, new Date().toISOString())) {
    const file = relative(process.cwd(), baselinePath(dir, outcome.suite))
    if ('skipped' in outcome) {
      skipped++
      console.error(`bench:update: ${file} not updated: the suite ${outcome.skipped}`)
      continue
    }
    await writeBaseline(baselinePath(dir, outcome.suite), outcome.baseline)
    const noisy = Object.entries(outcome.baseline.metrics).filter(([, m]) => (m.noise ?? 0) > 0.1)
    console.log(`bench:update: ${file} updated from ${runs} run(s), ${Object.keys(outcome.baseline.metrics).length} metrics`)
    for (const [key, m] of noisy) console.log(`  noisy: ${key} varies ±${Math.round((m.noise ?? 0) * 100)}% between runs`)
  }
  if (skipped > 0) process.exit(1)
}

async function runVitest(): Promise<{ code: number; results: RunResults | undefined; file: string }> {
  const file = join(ROOT, 'results', `run-${new Date().toISOString().replace(/[:.]/g, '-')}.json`)
  const vitestCli = join(createRequire(import.meta.url).resolve('vitest/package.json'), '..', 'vitest.mjs')
  const child = spawn(process.execPath, [vitestCli, 'bench', '--run', ...args.positionals], {
    cwd: ROOT,
    stdio: 'inherit',
    env: { ...process.env, [PROFILE_ENV]: profile.name, [PROFILE_REASON_ENV]: profile.reason, [RESULTS_FILE_ENV]: file },
  })
  // Ctrl-C reaches vitest through the terminal; we only wait for it to finish cleaning up.
  const forward = (signal: NodeJS.Signals) => child.kill(signal)
  process.on('SIGINT', forward).on('SIGTERM', forward)
  const [code, signal] = await new Promise<[number | null, NodeJS.Signals | null]>((resolve) => child.on('exit', (c, s) => resolve([c, s])))
  process.off('SIGINT', forward).off('SIGTERM', forward)
  if (signal) exitWith(130, `bench: interrupted (${signal}); the harness stops what it started, no results were judged.`)
  const results = await readFile(file, 'utf8')
    .then((text) => JSON.parse(text) as RunResults)
    .catch(() => undefined)
  return { code: code ?? 1, results, file }
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
      'fail-on-regression': { type: 'boolean', default: false },
      update: { type: 'boolean', default: false },
      runs: { type: 'string' },
      help: { type: 'boolean', short: 'h', default: false },
    },
  })
}
