import { expect, test } from 'vitest'
import { summarizeCpuProfile, type V8CpuProfile } from './cpu-profile-summary.ts'

// Pure logic on a hand-made V8 profile (never a measurement; harness/cpu-profile.test.ts profiles real apps).
const frame = (functionName: string, url = '', lineNumber = 0) => ({ functionName, url, lineNumber })
const profile: V8CpuProfile = {
  nodes: [
    { id: 1, callFrame: frame('(root)'), children: [2, 5, 6] },
    { id: 2, callFrame: frame('processTicksAndRejections', 'node:internal/process/task_queues', 71), children: [3] },
    { id: 3, callFrame: frame('spendPlantedCpu', 'file:///repo/apps/processor/server.ts', 132), children: [4] },
    { id: 4, callFrame: frame('now'), children: [] },
    { id: 5, callFrame: frame('(garbage collector)'), children: [] },
    { id: 6, callFrame: frame('(idle)'), children: [] },
  ],
  startTime: 0,
  endTime: 10_000,
  // 6 samples in performance.now under the busy loop, 2 in the loop itself, 2 in GC, 10 idle.
  samples: [4, 4, 4, 4, 4, 4, 3, 3, 5, 5, 6, 6, 6, 6, 6, 6, 6, 6, 6, 6],
}

test('built-ins count for their caller in our code; GC stays itself; idle is not busy; the flame tree keeps the frames', () => {
  const summary = summarizeCpuProfile(profile)
  expect(summary.samples).toBe(20)
  expect(summary.busyShare).toBe(0.5)
  expect(summary.durationMs).toBe(10)
  expect(summary.top).toEqual([
    { function: 'spendPlantedCpu', location: 'apps/processor/server.ts:133', selfShare: 0.8 },
    { function: '(garbage collector)', location: '', selfShare: 0.2 },
  ])
  expect(summary.flame.value).toBe(10)
  const names = (node: typeof summary.flame): string[] => [node.name, ...node.children.flatMap(names)]
  expect(names(summary.flame)).toEqual([
    '(root)',
    'processTicksAndRejections node:internal/process/task_queues:72',
    'spendPlantedCpu apps/processor/server.ts:133',
    'now',
    '(garbage collector)',
  ])
})
