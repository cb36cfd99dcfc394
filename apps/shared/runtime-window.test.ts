import { setTimeout as sleep } from 'node:timers/promises'
import { expect, test } from 'vitest'
import { runtimeWindow } from './runtime-window.ts'

// The runtime window over real work in this process: garbage made, collections seen, the loop blocked.
test('a window sees what was allocated, the collections it caused and a blocked event loop; reset starts afresh', async () => {
  const window = runtimeWindow()
  await sleep(50)
  window.reset()
  let kept: number[][] = []
  // About 400 MiB of short-lived arrays (1,000 numbers, ~8 KiB each), a few kept at a time.
  for (let i = 0; i < 50_000; i++) {
    kept.push(Array.from({ length: 1000 }, (_, j) => i + j))
    if (kept.length > 100) kept = []
  }
  const blockedUntil = performance.now() + 120
  await sleep(20)
  while (performance.now() < blockedUntil);
  await sleep(50)
  const figures = window.read()
  expect(figures.gcCount).toBeGreaterThan(5)
  expect(figures.allocatedMiBPerSecond * figures.seconds).toBeGreaterThan(200)
  expect(figures.heapUsedMaxMiB).toBeGreaterThan(1)
  expect(figures.gcPauseP99Ms).toBeGreaterThan(0)
  expect(figures.eventLoopDelayP99Ms).toBeGreaterThan(50)
  window.reset()
  await sleep(100)
  const quiet = window.read()
  expect(quiet.gcCount).toBeLessThan(figures.gcCount)
  expect(quiet.allocatedMiBPerSecond * quiet.seconds).toBeLessThan(50)
  // Idle, the loop is late by little: the timer's own interval is not counted as delay.
  expect(quiet.eventLoopDelayP99Ms).toBeLessThan(10)
})
