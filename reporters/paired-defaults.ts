/**
 * Pairs `pnpm bench --against` runs by default. The exact signed-rank interval at 1% needs at least 7;
 * 10 detects a 5% micro-benchmark slowdown in >= 95% of runs (reporters/stats/paired-simulation.test.ts).
 */
export const PAIRED_DEFAULT_PAIRS = 10
