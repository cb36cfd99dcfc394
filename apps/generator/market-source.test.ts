import { sampleCorrelation } from 'simple-statistics'
import { expect, test } from 'vitest'
import { createMarketSource } from './market-source.ts'

test('the same seed gives the same events', () => {
  const a = createMarketSource('s', 7)
  const b = createMarketSource('s', 7)
  for (let i = 0; i < 100; i++) expect(a(1_000 + i)).toEqual(b(1_000 + i))
})

test('prices of different symbols move together through the shared market factor', () => {
  const next = createMarketSource('s', 3)
  const last = new Map<string, number>()
  const series = new Map<string, number[]>()
  for (let i = 0; i < 40_000; i++) {
    const e = next(i)
    last.set(e.symbol, e.price)
    // Sample every symbol's latest price every 100 events.
    if (i % 100 === 99) for (const [symbol, price] of last) series.set(symbol, [...(series.get(symbol) ?? []), price])
  }
  const returns = (p: number[]) => p.slice(1).map((x, i) => Math.log(x / (p[i] as number)))
  const [acme, stark] = [returns(series.get('ACME') ?? []), returns(series.get('STARK') ?? [])]
  const n = Math.min(acme.length, stark.length)
  expect(sampleCorrelation(acme.slice(-n), stark.slice(-n))).toBeGreaterThan(0.3)
})

test('a late fraction shifts that share of event times back, never forward', () => {
  const next = createMarketSource('s', 11, { lateFraction: 0.2, lateMaxMs: 500 })
  let late = 0
  for (let i = 0; i < 10_000; i++) {
    const sent = 1_000_000 + i
    const e = next(sent)
    expect(e.ts).toBeLessThanOrEqual(sent)
    expect(sent - e.ts).toBeLessThanOrEqual(500)
    if (e.ts < sent) late++
  }
  expect(late / 10_000).toBeGreaterThan(0.17)
  expect(late / 10_000).toBeLessThan(0.23)
})
