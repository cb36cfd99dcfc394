/**
 * Pairs `pnpm bench --against` runs of every suite by default, and the pairs a suite holding a suspicious
 * metric is taken to (reporters/paired.ts, suitesToConfirm). The trade-off between pairs, wall time and
 * power is measured by reporters/stats/gate-simulation.test.ts (`node scripts/gate-simulation.ts`).
 */
export const PAIRED_DEFAULT_PAIRS = 6
export const CONFIRM_PAIRS = 16
/** Below 3 pairs a trimmed test has no spread of its own to check the baseline's noise against. */
export const MINIMUM_PAIRS = 3
