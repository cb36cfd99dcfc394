import { defineConfig } from 'vitest/config'

// Two projects: the tests (`*.test.ts`, `pnpm test`) and the benchmark suites (`suites/**/*.bench.ts`,
// `pnpm bench`), which vitest 5 derives from `benchmark` below and runs one file at a time.
export default defineConfig({
  test: {
    include: ['**/*.test.ts'],
    exclude: ['**/node_modules/**', 'results/**'],
    testTimeout: 60_000,
    hookTimeout: 120_000,
    benchmark: { include: ['suites/**/*.bench.ts'] },
    // Judges benchmark results against baselines/; it ignores test runs.
    reporters: ['default', './reporters/baseline-reporter.ts'],
  },
})
