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

export interface Scheduled<E> {
  /** When the event was meant to exist (performance.now() clock). Latency is measured from here. */
  intendedAt: number
  event: E
}

export interface OpenLoopResult {
  generated: number
  /** The worst delay between an event's intended time and when the loop produced it. */
  maxLagMs: number
}

// About the old loop's tick: latency is counted from intended times, so a coarser tick would add to it.
const TICK_MS = 1

/**
 * Open-model load: events are due when the integral of the rate says so, whatever the system under test is
 * doing, so a slow server cannot slow the offered load down (no coordinated omission). `send` must not block.
 * The rate is integrated per loop tick (trapezoids, ticks of about a millisecond) and each due event's
 * intended time is placed inside its tick by linear interpolation: exact for a constant rate.
 */
export async function runOpenLoop<E>(
  options: OpenLoopOptions,
  makeEvent: (intendedAt: number) => E,
  send: (batch: Scheduled<E>[]) => void,
  now: () => number = () => performance.now(),
): Promise<OpenLoopResult> {
  const { durationMs, batchSize, lingerMs } = options
  const rate = typeof options.ratePerSecond === 'number' ? constant(options.ratePerSecond) : options.ratePerSecond
  const start = now()
  let generated = 0
  let maxLagMs = 0
  let batch: Scheduled<E>[] = []
  let lastMs = 0 // ms since start, where the integral stands
  let expected = 0 // events due by lastMs

  const flush = () => {
    if (batch.length === 0) return
    send(batch)
    batch = []
  }

  for (;;) {
    const t = now()
    const toMs = Math.min(durationMs, t - start)
    if (toMs > lastMs) {
      const next = expected + ((rate(lastMs / 1000) + rate(toMs / 1000)) / 2) * ((toMs - lastMs) / 1000)
      for (let k = generated + 1; k <= Math.floor(next); k++) {
        const intendedAt = start + lastMs + ((k - expected) / (next - expected)) * (toMs - lastMs)
        if (k === generated + 1) maxLagMs = Math.max(maxLagMs, t - intendedAt)
        batch.push({ intendedAt, event: makeEvent(intendedAt) })
        if (batch.length >= batchSize) flush()
      }
      generated = Math.max(generated, Math.floor(next))
      expected = next
      lastMs = toMs
    }
    const oldest = batch[0]
    if (oldest && t - oldest.intendedAt >= lingerMs) flush()
    if (lastMs >= durationMs) break
    await sleep(Math.min(lingerMs, TICK_MS))
  }
  flush()
  return { generated, maxLagMs }
}

const constant = (r: number) => () => r
