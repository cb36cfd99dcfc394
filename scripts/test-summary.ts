// Prints the plain line CI reads, `tests: N passed, N failed[, N skipped]`, from vitest's JSON report.
import { readFileSync } from 'node:fs'

const file = process.argv[2] ?? 'results/vitest-tests.json'
let report: { numPassedTests: number; numFailedTests: number; numPendingTests: number; numTodoTests: number }
try {
  report = JSON.parse(readFileSync(file, 'utf8'))
} catch (error) {
  console.log('tests: 0 passed, 1 failed')
  console.error(`test-summary: could not read vitest's JSON report ${file}: ${(error as Error).message}`)
  process.exit(1)
}
const skipped = report.numPendingTests + report.numTodoTests
console.log(`tests: ${report.numPassedTests} passed, ${report.numFailedTests} failed${skipped ? `, ${skipped} skipped` : ''}`)
