import { expect, test } from 'vitest'
import type { IotEvent, LogEvent } from './events.ts'
import { aggregateIot, aggregateLogs, iotAlerts } from './iot-log-aggregates.ts'

const reading = (ts: number, temperature: number, device = 'dev-1'): IotEvent => ({
  kind: 'iot',
  source: 's',
  seq: ts,
  ts,
  device,
  temperature,
  humidity: 50,
  readings: [],
})
const line = (ts: number, level: LogEvent['level'], service = 'api'): LogEvent => ({
  kind: 'log',
  source: 's',
  seq: ts,
  ts,
  level,
  service,
  message: '',
})

test('IoT readings fold into one window per device and second, in any order', () => {
  const events = [reading(1_000, 20), reading(1_500, 30), reading(1_900, 25), reading(2_100, 10), reading(1_200, 40, 'dev-2')]
  const windows = aggregateIot(events)
  expect(windows).toContainEqual({ device: 'dev-1', bucketMs: 1_000, readings: 3, tempSum: 75, tempMin: 20, tempMax: 30, humiditySum: 150 })
  expect(windows).toHaveLength(3)
  expect(aggregateIot([...events].reverse())).toEqual(expect.arrayContaining(windows))
})

test('readings above the threshold are alerts', () => {
  expect(iotAlerts([reading(1, 79.9), reading(2, 80), reading(3, 80.1)], 80).map((e) => e.temperature)).toEqual([80.1])
})

test('log events count per service and second, warnings and errors apart', () => {
  const windows = aggregateLogs([
    line(1_000, 'info'),
    line(1_100, 'error'),
    line(1_200, 'warn'),
    line(1_300, 'error'),
    line(1_400, 'info', 'db'),
  ])
  expect(windows).toEqual([
    { service: 'api', bucketMs: 1_000, total: 4, warns: 1, errors: 2 },
    { service: 'db', bucketMs: 1_000, total: 1, warns: 0, errors: 0 },
  ])
})
