import { expect, test } from 'vitest'
import { rateFunction, validateLoadShape } from '../generator/rate-pattern.ts'
import { sourceArgs } from './source-load.ts'

// Each source field reaches the generator: its kind as the event mix, its pattern as a load shape the
// generator accepts and follows, its sizes as the size flags.
const flag = (args: string[], name: string) => args.find((a) => a.startsWith(`--${name}=`))?.slice(name.length + 3)
const ratesOver = (args: string[], seconds: number) => {
  const checked = validateLoadShape(JSON.parse(flag(args, 'shape') as string))
  if (!checked.ok) throw new Error(checked.problems.join('; '))
  const rate = rateFunction(checked.shape, 1)
  return Array.from({ length: seconds * 10 }, (_, i) => rate(i / 10))
}

test('the kind is the event mix, and no sizes are sent unless the source gives them', () => {
  const args = sourceArgs({ kind: 'iot', rate: 100 }, 100, 20)
  expect(flag(args, 'mix')).toBe('iot=1')
  expect(flag(args, 'size-distribution')).toBeUndefined()
  expect(ratesOver(args, 20).every((r) => r === 100)).toBe(true) // steady, the default
})

test('sizeBytes becomes the size distribution and bounds', () => {
  const args = sourceArgs({ kind: 'log', rate: 100, sizeBytes: { distribution: 'lognormal', min: 200, max: 9000 } }, 100, 20)
  expect([flag(args, 'size-distribution'), flag(args, 'size-min'), flag(args, 'size-max')]).toEqual(['lognormal', '200', '9000'])
})

test.each([
  ['periodic', (r: number[]) => Math.min(...r) >= 500 && Math.max(...r) <= 1500 && Math.max(...r) - Math.min(...r) > 900],
  ['bursty', (r: number[]) => Math.max(...r) === 4000 && Math.min(...r) === 1000],
  ['diurnal', (r: number[]) => Math.min(...r) === 100 && Math.max(...r) === 1000],
  ['chaos', (r: number[]) => Math.min(...r) >= 500 && Math.max(...r) <= 1500 && new Set(r).size > 5],
])('the %s pattern is a load shape the generator follows around the source rate', (pattern, holds) => {
  const rates = ratesOver(sourceArgs({ kind: 'market', rate: 1000, pattern }, 1000, 20), 20)
  expect(holds(rates), `rates: ${[...new Set(rates.map(Math.round))].slice(0, 12).join(', ')}`).toBe(true)
})
