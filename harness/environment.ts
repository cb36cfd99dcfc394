import type { GeneratorOptions, GeneratorSummary } from './apps.ts'

/** What every profile's PostgreSQL gives a suite. */
export interface StartedPostgres extends AsyncDisposable {
  readonly url: string
  readonly version: string
  /** Wall time from asking to accepting connections. */
  readonly startMs: number
  /** The container image's size, where PostgreSQL runs in a container. */
  readonly imageBytes?: number
  stop(): Promise<void>
}

/** One of the pipeline's HTTP services, started and healthy. */
export interface StartedApp extends AsyncDisposable {
  readonly name: string
  readonly url: string
  readonly pid: number
  /**
   * How load reaches this app where it does not run here: in a cluster, a generator Job beside it. When
   * absent, the generator runs as a process here against `url`.
   */
  readonly runLoad?: (options: Omit<GeneratorOptions, 'target'>) => Promise<GeneratorSummary>
  stop(): Promise<void>
}
