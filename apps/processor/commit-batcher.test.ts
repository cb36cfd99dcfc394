import { expect, test } from 'vitest'
import { CommitBatcher, QueueFullError } from './commit-batcher.ts'

// A fake commit (pure logic test): records each batch and completes when the test says so.
function fakeCommits() {
  const batches: number[][] = []
  const pending: (() => void)[] = []
  const commit = (items: number[]) =>
    new Promise<void>((resolve) => {
      batches.push(items)
      pending.push(resolve)
    })
  return {
    batches,
    commit,
    finishAll: () => {
      for (const resolve of pending.splice(0)) resolve()
    },
  }
}

test('requests arriving together share one commit once the batch is full', async () => {
  const fake = fakeCommits()
  const batcher = new CommitBatcher({ maxBatchItems: 4, lingerMs: 1000, maxQueuedItems: 100, maxConcurrentCommits: 1, commit: fake.commit })
  const acks = [batcher.submit([1, 2]), batcher.submit([3, 4])]
  expect(fake.batches).toEqual([[1, 2, 3, 4]])
  fake.finishAll()
  await Promise.all(acks)
})

test('a request is acknowledged only after its commit completes', async () => {
  const fake = fakeCommits()
  const batcher = new CommitBatcher({ maxBatchItems: 1, lingerMs: 1000, maxQueuedItems: 100, maxConcurrentCommits: 1, commit: fake.commit })
  let acked = false
  const ack = batcher.submit([1]).then(() => {
    acked = true
  })
  await new Promise((r) => setTimeout(r, 10))
  expect(acked).toBe(false)
  fake.finishAll()
  await ack
  expect(acked).toBe(true)
})

test('a partial batch is committed after the linger time', async () => {
  const fake = fakeCommits()
  const batcher = new CommitBatcher({ maxBatchItems: 100, lingerMs: 5, maxQueuedItems: 100, maxConcurrentCommits: 1, commit: fake.commit })
  const ack = batcher.submit([1])
  expect(fake.batches).toEqual([])
  await new Promise((r) => setTimeout(r, 30))
  expect(fake.batches).toEqual([[1]])
  fake.finishAll()
  await ack
})

test('what arrives during a commit goes out as soon as it finishes, requests never split', async () => {
  const fake = fakeCommits()
  const batcher = new CommitBatcher({ maxBatchItems: 2, lingerMs: 1000, maxQueuedItems: 100, maxConcurrentCommits: 1, commit: fake.commit })
  const first = batcher.submit([1, 2])
  const rest = [batcher.submit([3]), batcher.submit([4, 5, 6])]
  expect(fake.batches).toEqual([[1, 2]])
  fake.finishAll()
  await first
  expect(fake.batches).toEqual([
    [1, 2],
    [3, 4, 5, 6],
  ])
  fake.finishAll()
  await Promise.all(rest)
})

test('a full queue refuses the submit and keeps what it holds', async () => {
  const fake = fakeCommits()
  const batcher = new CommitBatcher({ maxBatchItems: 10, lingerMs: 1000, maxQueuedItems: 3, maxConcurrentCommits: 1, commit: fake.commit })
  const held = batcher.submit([1, 2])
  await expect(batcher.submit([3, 4])).rejects.toBeInstanceOf(QueueFullError)
  expect(batcher.queuedItems).toBe(2)
  const drained = batcher.drain()
  fake.finishAll()
  await Promise.all([held, drained])
  expect(fake.batches).toEqual([[1, 2]])
})

test('a failed commit rejects every request in it', async () => {
  const batcher = new CommitBatcher<number>({
    maxBatchItems: 2,
    lingerMs: 1000,
    maxQueuedItems: 10,
    maxConcurrentCommits: 1,
    commit: () => Promise.reject(new Error('disk full')),
  })
  const results = await Promise.allSettled([batcher.submit([1]), batcher.submit([2])])
  expect(results.map((r) => r.status)).toEqual(['rejected', 'rejected'])
  expect(batcher.queuedItems).toBe(0)
})

test('a commit that fails on one request is retried in halves: only that request fails, every other commits', async () => {
  const commits: number[][] = []
  const batcher = new CommitBatcher<number>({
    maxBatchItems: 100,
    lingerMs: 1,
    maxQueuedItems: 1000,
    maxConcurrentCommits: 1,
    commit: async (items) => {
      commits.push(items)
      if (items.includes(13)) throw new Error('poison')
    },
    isolate: (error) => (error as Error).message === 'poison',
  })
  const requests = [[1, 2], [3], [13], [4, 5], [6], [7], [8], [9]]
  const outcomes = await Promise.allSettled(requests.map((r) => batcher.submit(r)))
  expect(outcomes.map((o) => o.status)).toEqual(['fulfilled', 'fulfilled', 'rejected', ...Array(5).fill('fulfilled')])
  // All together, then halves down to the bad request alone: 1 + 2 + 2 + 2 commits.
  expect(commits).toHaveLength(7)
  expect(commits.filter((items) => items.includes(13))).toEqual([[1, 2, 3, 13, 4, 5, 6, 7, 8, 9], [1, 2, 3, 13, 4, 5], [13, 4, 5], [13]])
})

test('an error that isolation does not cover fails every request of the commit, without retries', async () => {
  let calls = 0
  const batcher = new CommitBatcher<number>({
    maxBatchItems: 100,
    lingerMs: 1,
    maxQueuedItems: 1000,
    maxConcurrentCommits: 1,
    commit: async () => {
      calls++
      throw new Error('database gone')
    },
    isolate: (error) => (error as Error).message === 'poison',
  })
  const outcomes = await Promise.allSettled([batcher.submit([1]), batcher.submit([2])])
  expect(outcomes.map((o) => o.status)).toEqual(['rejected', 'rejected'])
  expect(calls).toBe(1)
  expect(batcher.queuedItems).toBe(0)
})
