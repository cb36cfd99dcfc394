import type { IotEvent, LogEvent } from './events.ts'

export interface IotWindow {
  device: string
  bucketMs: number
  readings: number
  tempSum: number
  tempMin: number
  tempMax: number
  humiditySum: number
}

export interface LogWindow {
  service: string
  bucketMs: number
  total: number
  warns: number
  errors: number
}

const bucketOf = (ts: number) => Math.floor(ts / 1000) * 1000

/** Folds readings into one window per device and second; sums and extremes merge in any order. */
export function aggregateIot(events: readonly IotEvent[]): IotWindow[] {
  const windows = new Map<string, IotWindow>()
  for (const e of events) {
    const bucketMs = bucketOf(e.ts)
    const key = `${e.device}\u0000${bucketMs}`
    const w = windows.get(key)
    if (!w) {
      windows.set(key, {
        device: e.device,
        bucketMs,
        readings: 1,
        tempSum: e.temperature,
        tempMin: e.temperature,
        tempMax: e.temperature,
        humiditySum: e.humidity,
      })
      continue
    }
    w.readings++
    w.tempSum += e.temperature
    w.tempMin = Math.min(w.tempMin, e.temperature)
    w.tempMax = Math.max(w.tempMax, e.temperature)
    w.humiditySum += e.humidity
  }
  return [...windows.values()]
}

/** Readings above the threshold, each one an alert. */
export const iotAlerts = (events: readonly IotEvent[], thresholdCelsius: number) => events.filter((e) => e.temperature > thresholdCelsius)

/** Counts log events per service and second, with warnings and errors apart. */
export function aggregateLogs(events: readonly LogEvent[]): LogWindow[] {
  const windows = new Map<string, LogWindow>()
  for (const e of events) {
    const bucketMs = bucketOf(e.ts)
    const key = `${e.service}\u0000${bucketMs}`
    const w = windows.get(key) ?? { service: e.service, bucketMs, total: 0, warns: 0, errors: 0 }
    w.total++
    if (e.level === 'warn') w.warns++
    if (e.level === 'error') w.errors++
    windows.set(key, w)
  }
  return [...windows.values()]
}
