import { setTimeout as sleep } from 'node:timers/promises'

export interface OpenLoopOptions {
  /** Events per second: a constant, or a function of seconds since the start (see rate-pattern.ts). */
  ratePerSecond: number | ((tS: number) => number)
  durationMs: number
  /** Send a batch when it holds this many events ... */
  batchSize: number
  /** ... or when its oldest event has waited this long. */
  lingerMs: number
}

/** Events in the order they were due; parallel arrays, not an object per event (less garbage at 100k/s). */
export interface Batch<E> {
  events: E[]
  /** When each event was meant to exist (performance.now() clock). Latency is measured from here. */
  intendedAt: number[]
}

export interface OpenLoopResult {
  generated: number
  /** The worst delay between when a batch was due (full, or its linger over) and when it was sent. */
  maxLagMs: number
}

/** The shortest sleep: Node's timers count whole milliseconds. */
const TICK_MS = 1

/**
 * Open-model load: events are due when the integral of the rate says so, whatever the system under test is
 * doing, so a slow server cannot slow the offered load down (no coordinated omission). `send` must not block.
 * The rate is integrated per wake-up (trapezoids) and each due event's intended time is placed inside the
 * interval by linear interpolation: exact for a constant rate. The loop sleeps until the batch is due to be
 * full or its linger is over, at most lingerMs: each wake-up of a process cost 50-150 µs of CPU on these
 * machines, and a fixed 1 ms tick made 1,000 a second whatever the rate. A rate that jumps is seen at
 * most lingerMs late, the wait a batch may have anyway.
 */
export async function runOpenLoop<E>(
  options: OpenLoopOptions,
  makeEvent: (intendedAt: number) => E,
  send: (batch: Batch<E>) => void,
  now: () => number = () => performance.now(),
): Promise<OpenLoopResult> {
  const { durationMs, batchSize, lingerMs } = options
  const rate = typeof options.ratePerSecond === 'number' ? constant(options.ratePerSecond) : options.ratePerSecond
  const start = now()
  let generated = 0
  let maxLagMs = 0
  let batch: Batch<E> = { events: [], intendedAt: [] }
  let lastMs = 0 // ms since start, where the integral stands
  let expected = 0 // events due by lastMs

  const flush = (t: number, dueAt: number) => {
    if (batch.events.length === 0) return
    maxLagMs = Math.max(maxLagMs, t - dueAt)
    send(batch)
    batch = { events: [], intendedAt: [] }
  }

  for (;;) {
    const t = now()
    const toMs = Math.min(durationMs, t - start)
    if (toMs > lastMs) {
      const next = expected + ((rate(lastMs / 1000) + rate(toMs / 1000)) / 2) * ((toMs - lastMs) / 1000)
      for (let k = generated + 1; k <= Math.floor(next); k++) {
        const intendedAt = start + lastMs + ((k - expected) / (next - expected)) * (toMs - lastMs)
        batch.events.push(makeEvent(intendedAt))
        batch.intendedAt.push(intendedAt)
        if (batch.events.length >= batchSize) flush(t, intendedAt)
      }
      generated = Math.max(generated, Math.floor(next))
      expected = next
      lastMs = toMs
    }
    const oldest = batch.intendedAt[0]
    if (oldest !== undefined && t - oldest >= lingerMs) flush(t, oldest + lingerMs)
    if (lastMs >= durationMs) break
    await sleep(untilDue())
  }
  flush(now(), start + durationMs)
  return { generated, maxLagMs }

  /** Until the batch fills at the present rate, or its oldest event's linger is over, or the end. */
  function untilDue(): number {
    const perMs = rate(lastMs / 1000) / 1000
    const owed = expected - generated // the part of an event already due
    const untilFull = perMs > 0 ? (batchSize - batch.events.length - owed) / perMs : lingerMs
    // An empty batch's linger starts with its first event, later than now: lingerMs bounds it below.
    const oldest = batch.intendedAt[0]
    const untilLinger = oldest === undefined ? lingerMs : oldest + lingerMs - (start + lastMs)
    return Math.max(TICK_MS, Math.ceil(Math.min(untilFull, untilLinger, lingerMs, durationMs - lastMs)))
  }
}

const constant = (r: number) => () => r
