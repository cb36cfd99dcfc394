// How `pnpm bench` (scripts/bench.ts) talks to the reporter running inside vitest.
export const RESULTS_FILE_ENV = 'BENCH_RESULTS_FILE'
export const BASELINES_DIR_ENV = 'BENCH_BASELINES_DIR'
/** Set for the runs inside `pnpm bench --against`: write the results file only; the pair judge reports. */
export const RESULTS_ONLY_ENV = 'BENCH_RESULTS_ONLY'
