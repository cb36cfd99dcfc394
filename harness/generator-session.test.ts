import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { expect } from 'vitest'
import type { GeneratorSummary } from './apps.ts'
import { test } from './fixtures.ts'
import { generatorSession, servesLoads, withGenerator } from './generator-session.ts'
import { queryRows } from './sql.ts'

// Two loads through one generator process into a real processor and PostgreSQL: each load is whole, with
// its own source and sequence, and the process that served the first served the second.
test('a generator session serves loads one after another from one process', { timeout: 60_000 }, async ({ processor, postgres }) => {
  const session = generatorSession(processor.url)
  try {
    const first = await session.run({ ratePerSecond: 2000, durationSeconds: 1, batchSize: 50, source: 'session-1' })
    const pid = session.pid
    const second = await session.run({ ratePerSecond: 3000, durationSeconds: 1, batchSize: 50, source: 'session-2' })
    expect(pid).toBeGreaterThan(0)
    expect(session.pid).toBe(pid)
    // The open loop's integral of the rate may fall a hair short of a whole event at the end (2999 of 3000).
    expect([first.source, second.source]).toEqual(['session-1', 'session-2'])
    expect(first.generated).toBeGreaterThanOrEqual(1999)
    expect(second.generated).toBeGreaterThanOrEqual(2999)
    expect([first.acked, second.acked]).toEqual([first.generated, second.generated])
    const rows = await queryRows<{ source: string; n: string; max_seq: string }>(
      postgres.url,
      `SELECT source, count(*) AS n, max(seq) AS max_seq FROM market_events WHERE source LIKE 'session-%' GROUP BY source ORDER BY source`,
    )
    expect(rows.map((r) => [r.source, Number(r.n), Number(r.max_seq)])).toEqual([
      ['session-1', first.generated, first.generated - 1],
      ['session-2', second.generated, second.generated - 1],
    ])
    await expect(
      Promise.all([
        session.run({ ratePerSecond: 100, durationSeconds: 1, batchSize: 10, source: 'session-3' }),
        session.run({ ratePerSecond: 100, durationSeconds: 1, batchSize: 10, source: 'session-4' }),
      ]),
    ).rejects.toThrow(/one load at a time/)
  } finally {
    await session.stop()
  }
})

test('a tree whose generator does not serve loads is told apart', () => {
  expect(servesLoads()).toBe(true)
  // A stand-in for an older tree: its generator's usage has no --serve.
  const root = mkdtempSync(join(tmpdir(), 'old-generator-'))
  try {
    mkdirSync(join(root, 'generator'))
    writeFileSync(join(root, 'generator', 'main.ts'), "console.log('generator --target URL [--rate N]')\n")
    expect(servesLoads(root)).toBe(false)
  } finally {
    rmSync(root, { recursive: true, force: true })
  }
})

test('withGenerator drives a processor here through a session, or a process per load, and leaves a pod’s alone', {
  timeout: 60_000,
}, async ({ processor }) => {
  const cold = withGenerator(processor, { warm: false })
  const load = await cold.processor.runLoad?.({ ratePerSecond: 1000, durationSeconds: 1, batchSize: 50, source: 'cold-1' })
  expect(load?.generated).toBeGreaterThanOrEqual(999)
  expect(load?.acked).toBe(load?.generated)
  await cold.stop()
  // A stand-in for a processor in a pod: its runLoad belongs to the cluster's generator Jobs.
  const inPod = { ...processor, runLoad: async () => ({}) as GeneratorSummary }
  expect(withGenerator(inPod).processor).toBe(inPod)
})
