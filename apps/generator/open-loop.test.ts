import { expect, test } from 'vitest'
import { createMarketSource } from './market-source.ts'
import { runOpenLoop, type Scheduled } from './open-loop.ts'

test('emits rate x duration events, spaced by the interval, in batches no larger than asked', async () => {
  const batches: Scheduled<number>[][] = []
  const result = await runOpenLoop(
    { ratePerSecond: 2000, durationMs: 200, batchSize: 50, lingerMs: 5 },
    (t) => t,
    (b) => batches.push(b),
  )
  const all = batches.flat()
  expect(result.generated).toBe(400)
  expect(all).toHaveLength(400)
  expect(Math.max(...batches.map((b) => b.length))).toBeLessThanOrEqual(50)
  const gaps = all.slice(1).map((s, i) => s.intendedAt - (all[i] as Scheduled<number>).intendedAt)
  for (const gap of gaps) expect(gap).toBeCloseTo(0.5, 6)
})

test('the offered load does not wait for a slow consumer (open model)', async () => {
  // Each send starts 200 ms of work; a loop that awaited it would fall 200 ms or more behind schedule.
  const pending: Promise<void>[] = []
  const slowSend = () => {
    pending.push(new Promise((resolve) => setTimeout(resolve, 200)))
  }
  const result = await runOpenLoop({ ratePerSecond: 1000, durationMs: 100, batchSize: 10, lingerMs: 2 }, () => 0, slowSend)
  expect(result.generated).toBe(100)
  expect(pending.length).toBeGreaterThanOrEqual(10)
  expect(result.maxLagMs).toBeLessThan(100)
  await Promise.all(pending)
})

test('the market source is deterministic for a seed and numbers events per source', () => {
  const a = createMarketSource('s', 7)
  const b = createMarketSource('s', 7)
  const first = [a(1), a(2), a(3)]
  expect([b(1), b(2), b(3)]).toEqual(first)
  expect(first.map((e) => e.seq)).toEqual([0, 1, 2])
  expect(createMarketSource('s', 8)(1)).not.toEqual(first[0])
})

test('a varying rate offers its integral, with intended times in order', async () => {
  const batches: Scheduled<number>[][] = []
  // 1000/s for the first 100 ms, 3000/s for the next 100 ms: 100 + 300 events.
  const rate = (tS: number) => (tS < 0.1 ? 1000 : 3000)
  const result = await runOpenLoop(
    { ratePerSecond: rate, durationMs: 200, batchSize: 25, lingerMs: 2 },
    (t) => t,
    (b) => batches.push(b),
  )
  const times = batches.flat().map((s) => s.intendedAt)
  expect(result.generated).toBeGreaterThanOrEqual(390) // the trapezoid smooths the step within one tick
  expect(result.generated).toBeLessThanOrEqual(402)
  expect(times).toHaveLength(result.generated)
  for (let i = 1; i < times.length; i++) expect(times[i]).toBeGreaterThan(times[i - 1] as number)
  const firstHalf = times.filter((t) => t - (times[0] as number) < 100).length
  expect(firstHalf).toBeGreaterThan(80)
  expect(firstHalf).toBeLessThan(130)
})
