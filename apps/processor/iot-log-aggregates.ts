import type { IotEvent, LogEvent } from './events.ts'
import { foldWindows } from './windows.ts'

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

/** Folds readings into one window per device and second; sums and extremes merge in any order. */
export function aggregateIot(events: readonly IotEvent[]): IotWindow[] {
  return foldWindows(
    events,
    (e) => e.device,
    (e, bucketMs) => ({
      device: e.device,
      bucketMs,
      readings: 1,
      tempSum: e.temperature,
      tempMin: e.temperature,
      tempMax: e.temperature,
      humiditySum: e.humidity,
    }),
    (w, e) => {
      w.readings++
      w.tempSum += e.temperature
      w.tempMin = Math.min(w.tempMin, e.temperature)
      w.tempMax = Math.max(w.tempMax, e.temperature)
      w.humiditySum += e.humidity
    },
  )
}

/** Readings above the threshold, each one an alert. */
export const iotAlerts = (events: readonly IotEvent[], thresholdCelsius: number) => events.filter((e) => e.temperature > thresholdCelsius)

/** Counts log events per service and second, with warnings and errors apart. */
export function aggregateLogs(events: readonly LogEvent[]): LogWindow[] {
  const count = (w: LogWindow, e: LogEvent) => {
    w.total++
    if (e.level === 'warn') w.warns++
    if (e.level === 'error') w.errors++
  }
  return foldWindows(
    events,
    (e) => e.service,
    (e, bucketMs) => {
      const w = { service: e.service, bucketMs, total: 0, warns: 0, errors: 0 }
      count(w, e)
      return w
    },
    count,
  )
}
