import { readFileSync } from 'node:fs'
import { parseArgs } from 'node:util'
import { readConfigFile } from './config-file.ts'
import type { EventSourceOptions, SizeDistribution } from './event-source.ts'
import { type LoadShape, validateLoadShape } from './rate-pattern.ts'

export const USAGE = `generator --target URL [--rate EVENTS_PER_S | --shape JSON | --shape-file FILE] [--duration-s S]
          [--batch-size N] [--linger-ms MS] [--source ID] [--seed N] [--max-in-flight N] [--max-attempts N]
          [--late-fraction F] [--late-max-ms MS] [--mix market=W,iot=W,log=W] [--v2-fraction F]
          [--size-distribution fixed|uniform|normal|lognormal] [--size-min B] [--size-max B] [--config FILE]
generator --serve
Sends market events to URL/ingest at an open-loop rate (steady, or a load shape: see rate-pattern.ts,
e.g. --shape '{"pattern":{"kind":"bursty","rate":5000,"burstRate":40000,"burstS":1,"quietS":2}}'),
then prints one JSON summary line. A fraction of events (--late-fraction) carries an event time up to
--late-max-ms old: late, out-of-order arrivals. --mix weighs event kinds (default market only); IoT payloads
and log messages take sizes from --size-*; --v2-fraction of market events use schema v2. --config reads
the same settings from a JSON file
(config-file.ts); flags win over it. TARGET_URL and LOAD_SHAPE work as environment variables too.
--serve runs one load per line of stdin, each line a JSON array of the flags above, one after another,
and prints each one's summary line: a process that stays up across a rate search's steps is past its
start and its JIT's warm-up after the first.`

/** One load's settings, checked. */
export interface LoadSettings {
  target: string
  shape: LoadShape
  durationMs: number
  batchSize: number
  lingerMs: number
  source: string
  seed: number
  maxInFlight: number
  maxAttempts: number
  events: EventSourceOptions
}

const DEFAULTS: Record<string, string> = {
  'duration-s': '10',
  'batch-size': '100',
  'linger-ms': '5',
  source: 'gen-1',
  seed: '1',
  'max-in-flight': '64',
  'max-attempts': '8',
  'late-fraction': '0',
  'late-max-ms': '2000',
  mix: 'market=1',
  'v2-fraction': '0',
  'size-distribution': 'fixed',
  'size-min': '100',
  'size-max': '100',
}

const OPTIONS = {
  config: { type: 'string' },
  target: { type: 'string' },
  rate: { type: 'string' },
  shape: { type: 'string' },
  'shape-file': { type: 'string' },
  'duration-s': { type: 'string' },
  'batch-size': { type: 'string' },
  'linger-ms': { type: 'string' },
  source: { type: 'string' },
  seed: { type: 'string' },
  'max-in-flight': { type: 'string' },
  'max-attempts': { type: 'string' },
  'late-fraction': { type: 'string' },
  'late-max-ms': { type: 'string' },
  mix: { type: 'string' },
  'v2-fraction': { type: 'string' },
  'size-distribution': { type: 'string' },
  'size-min': { type: 'string' },
  'size-max': { type: 'string' },
  serve: { type: 'boolean' },
  help: { type: 'boolean' },
} as const

/** What a command line asks for: help, serving loads from stdin, or one load. */
export type Command = { help: true } | { serve: true } | { load: LoadSettings }

/** The command these flags give, with TARGET_URL and LOAD_SHAPE from `env`; throws an Error that says what is wrong. */
export function commandOf(args: string[], env: NodeJS.ProcessEnv = process.env): Command {
  const { values: cli } = parseArgs({ args, options: OPTIONS })
  if (cli.help) return { help: true }
  if (cli.serve) return { serve: true }
  const fromFile: Record<string, string> = cli.config ? readConfigFile(cli.config) : {}
  const environment = { target: env.TARGET_URL, shape: env.LOAD_SHAPE }
  const given = Object.fromEntries(Object.entries({ ...environment, ...cli }).filter(([, v]) => v !== undefined)) as Record<string, string>
  // A rate or shape on the command line replaces the file's, rather than clashing with it.
  if (given.rate ?? given.shape ?? given['shape-file']) {
    delete fromFile.rate
    delete fromFile.shape
  }
  return { load: settingsOf({ ...DEFAULTS, ...fromFile, ...given }) }
}

function settingsOf(flags: Record<string, string | undefined>): LoadSettings {
  const positive = (name: string): number => {
    const value = Number(flags[name])
    if (!Number.isFinite(value) || value <= 0) throw new Error(`--${name} must be a positive number, got '${flags[name]}'`)
    return value
  }
  if (!flags.target) throw new Error('--target (or TARGET_URL, or "target" in --config) is required')
  return {
    target: flags.target,
    shape: loadShape(flags, positive),
    durationMs: positive('duration-s') * 1000,
    batchSize: positive('batch-size'),
    lingerMs: positive('linger-ms'),
    source: flags.source as string,
    seed: positive('seed'),
    maxInFlight: positive('max-in-flight'),
    maxAttempts: positive('max-attempts'),
    events: eventSourceOptions(flags, positive),
  }
}

function loadShape(flags: Record<string, string | undefined>, positive: (name: string) => number): LoadShape {
  const sources = [flags.rate, flags.shape, flags['shape-file']].filter((v) => v !== undefined)
  if (sources.length > 1) throw new Error('give one of --rate, --shape (or LOAD_SHAPE) and --shape-file')
  if (flags.shape === undefined && flags['shape-file'] === undefined) {
    return { pattern: { kind: 'steady', rate: flags.rate === undefined ? 1000 : positive('rate') } }
  }
  const origin = flags.shape === undefined ? `--shape-file ${flags['shape-file']}` : '--shape'
  let data: unknown
  try {
    data = JSON.parse(flags.shape ?? readFileSync(flags['shape-file'] as string, 'utf8'))
  } catch (error) {
    throw new Error(`${origin} is not readable JSON: ${(error as Error).message}`)
  }
  const checked = validateLoadShape(data)
  if (!checked.ok) throw new Error(`${origin} is not a valid load shape: ${checked.problems.join('; ')}`)
  return checked.shape
}

function eventSourceOptions(flags: Record<string, string | undefined>, positive: (name: string) => number): EventSourceOptions {
  const lateFraction = Number(flags['late-fraction'])
  if (!(lateFraction >= 0 && lateFraction <= 1)) throw new Error(`--late-fraction must be between 0 and 1, got '${flags['late-fraction']}'`)
  const mix: EventSourceOptions['mix'] = {}
  for (const part of (flags.mix ?? '').split(',')) {
    const [kind, weight] = part.split('=')
    if ((kind !== 'market' && kind !== 'iot' && kind !== 'log') || !(Number(weight) >= 0)) {
      throw new Error(`--mix takes kind=weight pairs of market, iot and log, e.g. market=6,iot=3,log=1; got '${flags.mix}'`)
    }
    mix[kind] = Number(weight)
  }
  if (!Object.values(mix).some((w) => w > 0)) throw new Error(`--mix needs a positive weight for at least one kind, got '${flags.mix}'`)
  const distribution = flags['size-distribution'] as SizeDistribution['distribution']
  if (!['fixed', 'uniform', 'normal', 'lognormal'].includes(distribution)) {
    throw new Error(`--size-distribution must be fixed, uniform, normal or lognormal, got '${distribution}'`)
  }
  const [min, max] = [positive('size-min'), positive('size-max')]
  if (min > max) throw new Error(`--size-min (${min}) must not exceed --size-max (${max})`)
  const v2Fraction = Number(flags['v2-fraction'])
  if (!(v2Fraction >= 0 && v2Fraction <= 1)) throw new Error(`--v2-fraction must be between 0 and 1, got '${flags['v2-fraction']}'`)
  return { mix, v2Fraction, size: { distribution, min, max }, lateFraction, lateMaxMs: positive('late-max-ms') }
}
