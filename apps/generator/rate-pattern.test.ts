import { describe, expect, test } from 'vitest'
import { type LoadShape, rateFunction, validateLoadShape } from './rate-pattern.ts'

const mean = (f: (t: number) => number, fromS: number, toS: number, steps = 10_000) => {
  let sum = 0
  for (let i = 0; i < steps; i++) sum += f(fromS + ((toS - fromS) * (i + 0.5)) / steps)
  return sum / steps
}

describe('rate patterns', () => {
  test('steady is constant', () => {
    expect(rateFunction({ pattern: { kind: 'steady', rate: 500 } }, 1)(12.3)).toBe(500)
  })

  test('periodic swings by its amplitude around its rate and averages to it over a period', () => {
    const f = rateFunction({ pattern: { kind: 'periodic', rate: 1000, amplitude: 0.5, periodS: 4 } }, 1)
    expect(f(1)).toBeCloseTo(1500)
    expect(f(3)).toBeCloseTo(500)
    expect(mean(f, 0, 4)).toBeCloseTo(1000, 0)
  })

  test('bursty alternates burst and quiet phases', () => {
    const f = rateFunction({ pattern: { kind: 'bursty', rate: 100, burstRate: 5000, burstS: 1, quietS: 3 } }, 1)
    expect([f(0.5), f(1.5), f(3.9), f(4.2)]).toEqual([5000, 100, 100, 5000])
  })

  test('diurnal peaks in market hours and is quiet at night', () => {
    const f = rateFunction({ pattern: { kind: 'diurnal', rate: 100, peakRate: 2000, dayS: 24 } }, 1)
    expect(f(3)).toBe(100) // 03:00
    expect(f(12)).toBe(2000) // noon
    expect(f(9.25)).toBeCloseTo(1050) // half-way up the ramp before the 09:30 open
  })

  test('chaos stays within its bounds, holds each window, and is the same for the same seed', () => {
    const shape: LoadShape = { pattern: { kind: 'chaos', minRate: 100, maxRate: 900, changeEveryS: 0.5 } }
    const a = rateFunction(shape, 42)
    const b = rateFunction(shape, 42)
    const values = Array.from({ length: 40 }, (_, i) => a(i * 0.25))
    for (const v of values) expect(v).toBeGreaterThanOrEqual(100)
    for (const v of values) expect(v).toBeLessThanOrEqual(900)
    expect(a(0.1)).toBe(a(0.4))
    expect(Array.from({ length: 40 }, (_, i) => b(i * 0.25))).toEqual(values)
    expect(rateFunction(shape, 43)(0.1)).not.toBe(a(0.1))
  })

  test('spikes multiply the rate in about `probability` of the windows', () => {
    const f = rateFunction({ pattern: { kind: 'steady', rate: 100 }, spikes: { probability: 0.2, multiplier: 10, everyS: 1 } }, 7)
    const windows = Array.from({ length: 1000 }, (_, i) => f(i + 0.5))
    expect(new Set(windows)).toEqual(new Set([100, 1000]))
    const share = windows.filter((r) => r === 1000).length / windows.length
    expect(share).toBeGreaterThan(0.15)
    expect(share).toBeLessThan(0.25)
  })
})

describe('load shape schema', () => {
  const validate = (shape: unknown) => validateLoadShape(shape).ok

  test('accepts a combined shape', () => {
    expect(
      validate({ pattern: { kind: 'diurnal', rate: 10, peakRate: 100, dayS: 60 }, spikes: { probability: 0.1, multiplier: 3, everyS: 1 } }),
    ).toBe(true)
  })

  test.each([
    { name: 'an unknown kind', shape: { pattern: { kind: 'sawtooth', rate: 1 } } },
    { name: 'a negative rate', shape: { pattern: { kind: 'steady', rate: -1 } } },
    { name: 'an amplitude above 1', shape: { pattern: { kind: 'periodic', rate: 1, amplitude: 2, periodS: 1 } } },
    { name: 'a missing field', shape: { pattern: { kind: 'bursty', rate: 1, burstRate: 2, burstS: 1 } } },
  ])('refuses $name', ({ shape }) => {
    expect(validate(shape)).toBe(false)
  })

  test('names the problem of the kind given, not of every other kind', () => {
    expect(validateLoadShape({ pattern: { kind: 'bursty', rate: -5, burstRate: 2, burstS: 1, quietS: 1 } })).toEqual({
      ok: false,
      problems: ['/pattern/rate must be > 0'],
    })
  })
})
