import type { MarketEvent } from '../processor/events.ts'
import { createEventSource, type EventSourceOptions } from './event-source.ts'

/** Market events only (the micro-benchmarks' and the COPY ceiling's input); see createEventSource. */
export function createMarketSource(
  source: string,
  seed: number,
  options: Omit<EventSourceOptions, 'mix'> = {},
): (tsMs: number) => MarketEvent {
  return createEventSource(source, seed, { ...options, mix: { market: 1 } }) as (tsMs: number) => MarketEvent
}
