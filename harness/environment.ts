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
  stop(): Promise<void>
}
