import { afterEach, expect, test, vi } from 'vitest'
import { WorkQueue } from './work-queue.ts'

// The queue's rules with a recording reconcile (pure logic, fake timers for the backoff).
afterEach(() => {
  vi.useRealTimers()
})

const deferred = () => {
  let resolve = () => {}
  const promise = new Promise<void>((r) => (resolve = r))
  return { promise, resolve }
}

test('a key changed many times while waiting is reconciled once', async () => {
  const seen: string[] = []
  const gate = deferred()
  const queue = new WorkQueue(
    async (key) => {
      seen.push(key)
      if (key === 'busy') await gate.promise
    },
    { concurrency: 1 },
  )
  queue.add('busy') // holds the only worker, so what follows waits
  for (let i = 0; i < 5; i++) queue.add('a')
  queue.add('b')
  expect(queue.depth).toBe(2)
  gate.resolve()
  await queue.idle()
  expect(seen).toEqual(['busy', 'a', 'b'])
})

test('one key is never reconciled twice at once; a change during its reconcile runs it again after', async () => {
  let running = 0
  let maxRunning = 0
  const gate = deferred()
  let calls = 0
  const queue = new WorkQueue(async () => {
    calls++
    running++
    maxRunning = Math.max(maxRunning, running)
    if (calls === 1) await gate.promise
    running--
  })
  queue.add('a')
  queue.add('a') // during the first reconcile
  gate.resolve()
  await queue.idle()
  expect(maxRunning).toBe(1)
  expect(calls).toBe(2)
})

test('at most `concurrency` keys run at once', async () => {
  let running = 0
  let maxRunning = 0
  const queue = new WorkQueue(
    async () => {
      running++
      maxRunning = Math.max(maxRunning, running)
      await new Promise((r) => setTimeout(r, 5))
      running--
    },
    { concurrency: 3 },
  )
  for (let i = 0; i < 10; i++) queue.add(`k${i}`)
  await queue.idle()
  expect(maxRunning).toBe(3)
})

test('a failing key is retried with exponential backoff until it succeeds', async () => {
  vi.useFakeTimers()
  const attempts: number[] = []
  const queue = new WorkQueue(
    async () => {
      attempts.push(Date.now())
      if (attempts.length < 4) throw new Error('API server unavailable')
    },
    { baseBackoffMs: 100, maxBackoffMs: 250 },
  )
  const start = Date.now()
  queue.add('a')
  await vi.runAllTimersAsync()
  await queue.idle()
  expect(attempts.map((t) => t - start)).toEqual([0, 100, 300, 550]) // waits 100, 200, then capped at 250
})
