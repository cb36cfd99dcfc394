import { expect, test } from 'vitest'
import { createMarketSource } from './market-source.ts'
import { type Batch, runOpenLoop } from './open-loop.ts'

test('emits rate x duration events, spaced by the interval, in batches no larger than asked', async () => {
  const batches: Batch<number>[] = []
  const result = await runOpenLoop(
    { ratePerSecond: 2000, durationMs: 200, batchSize: 50, lingerMs: 5 },
    (t) => t,
    (b) => batches.push(b),
  )
  const times = batches.flatMap((b) => b.intendedAt)
  expect(result.generated).toBe(400)
  expect(times).toHaveLength(400)
  expect(batches.flatMap((b) => b.events)).toEqual(times) // each event was made for its own intended time
  expect(Math.max(...batches.map((b) => b.events.length))).toBeLessThanOrEqual(50)
  const gaps = times.slice(1).map((t, i) => t - (times[i] as number))
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
  const batches: Batch<number>[] = []
  // 1000/s for the first 100 ms, 3000/s for the next 100 ms: 100 + 300 events.
  const rate = (tS: number) => (tS < 0.1 ? 1000 : 3000)
  const result = await runOpenLoop(
    { ratePerSecond: rate, durationMs: 200, batchSize: 25, lingerMs: 2 },
    (t) => t,
    (b) => batches.push(b),
  )
  const times = batches.flatMap((b) => b.intendedAt)
  expect(result.generated).toBeGreaterThanOrEqual(390) // the trapezoid smooths the step within one tick
  expect(result.generated).toBeLessThanOrEqual(402)
  expect(times).toHaveLength(result.generated)
  for (let i = 1; i < times.length; i++) expect(times[i]).toBeGreaterThan(times[i - 1] as number)
  const firstHalf = times.filter((t) => t - (times[0] as number) < 100).length
  expect(firstHalf).toBeGreaterThan(80)
  expect(firstHalf).toBeLessThan(130)
})

test('the loop sleeps until a batch is due, not a fixed tick, and sends each batch when due', async () => {
  // 20k/s in batches of 100: one due every 5 ms. A 1 ms tick would wake about 200 times in 200 ms.
  const sent: { at: number; lastDue: number; size: number }[] = []
  let wakes = 0
  const result = await runOpenLoop(
    { ratePerSecond: 20_000, durationMs: 200, batchSize: 100, lingerMs: 50 },
    (t) => t,
    (b) => sent.push({ at: performance.now(), lastDue: b.intendedAt.at(-1) as number, size: b.events.length }),
    () => {
      wakes++
      return performance.now()
    },
  )
  expect(result.generated).toBe(4000)
  expect(wakes).toBeLessThan(100)
  const full = sent.filter((s) => s.size === 100)
  expect(full.length).toBeGreaterThanOrEqual(38)
  // A full batch leaves when its last event is due, give or take the timer's millisecond and a slow machine.
  for (const s of full) expect(s.at - s.lastDue).toBeLessThan(20)
  expect(result.maxLagMs).toBeLessThan(20)
})
