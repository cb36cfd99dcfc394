import { readdirSync } from 'node:fs'

/**
 * Suites only a filter that names them runs: a soak takes over 10 minutes, past what a default run or a gate
 * can spend; resilience injects faults, a reliability check with figures too coarse to gate a change on;
 * implementations compares the processors side by side (2 minutes), a question of its own, not a gate's.
 */
export const OPT_IN_SUITES = ['soak', 'resilience', 'implementations']

/** The suites in `suitesDir` a run of these filters takes (vitest matches a filter anywhere in the file's path). */
export function suiteNames(suitesDir: string, filters: string[]): string[] {
  return readdirSync(suitesDir)
    .filter((f) => f.endsWith('.bench.ts'))
    .filter((f) => filters.length === 0 || filters.some((filter) => `suites/${f}`.includes(filter)))
    .map((f) => f.replace(/\.bench\.ts$/, ''))
}

/** The filters vitest gets: the command line's, or, without any, every suite that is not opt-in, by file. */
export function suiteFilters(suitesDir: string, positionals: string[]): string[] {
  if (positionals.length > 0) return positionals
  return suiteNames(suitesDir, [])
    .filter((name) => !OPT_IN_SUITES.includes(name))
    .map((name) => `suites/${name}.bench.ts`)
}
