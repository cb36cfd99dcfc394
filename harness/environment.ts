import type { Strategy } from '../apps/processor/writers.ts'
import type { RunFacts } from '../model/metric.ts'
import type { GeneratorOptions, GeneratorSummary } from './apps.ts'
import type { ClusterEnvironment } from './cluster/environment.ts'
import type { Implementation } from './implementations.ts'

/**
 * One environment the suites can run in (`--profile NAME`): each lives in its own folder under harness/
 * and is listed once, in harness/profiles.ts. Suites and fixtures ask a profile what it has (`pods`)
 * rather than branching on its name.
 */
export interface Profile {
  readonly name: string
  /** What it is, for humans: "embedded PostgreSQL, apps as processes". */
  readonly summary: string
  /**
   * What the operator and the pod suites get: no Kubernetes ('none'), an API server whose nodes are
   * simulated ('simulated': pods are scheduled and never run), or nodes where pods really run ('real'; the
   * pipeline then runs as pods too).
   */
  readonly pods: 'none' | 'simulated' | 'real'
  /** Why this profile cannot run on this machine, and what to do; '' when it can. */
  unavailable(env?: NodeJS.ProcessEnv): Promise<string>
  start(): Promise<StartedEnvironment>
}

/** A started profile: PostgreSQL, the apps, a cluster where the profile has one, and the versions it ran. */
export interface StartedEnvironment extends AsyncDisposable {
  readonly postgres: StartedPostgres
  /** A processor writing to `postgres`: started here where apps are processes; where they are pods, the deployed one. */
  startProcessor(options?: ProcessorOptions): Promise<StartedApp>
  /** The query/report API on `postgres`, with live figures from `processor`. */
  startApi(processor: StartedApp): Promise<StartedApp>
  /** The pipeline deployed as pods in a run namespace, where `pods` is 'real'. */
  readonly deployed?: ClusterEnvironment
  /** The API server with simulated nodes, where `pods` is 'simulated'. */
  readonly simulatedCluster?: SimulatedCluster
  /** Versions for the results' fingerprint. */
  readonly facts: RunFacts
  /** What the environment costs before any load (start times, image sizes), measured when asked. */
  figures(): Promise<EnvironmentFigure[]>
  stop(): Promise<void>
}

export interface ProcessorOptions {
  /** Which processor (harness/implementations.ts); default the TypeScript one. */
  implementation?: Implementation
  strategy?: Strategy
  args?: string[]
  /** Where apps are processes: listen on this port (one a killed processor had, to start it again there). */
  port?: number
}

export interface EnvironmentFigure {
  name: string
  value: number
  unit: 'ms' | 'MiB'
}

/** A Kubernetes API server whose nodes are simulated (kwok): the operator's scale test. */
export interface SimulatedCluster {
  readonly kubeconfig: string
  readonly startMs: number
  readonly description: string
}

/** What every profile's PostgreSQL gives a suite. */
export interface StartedPostgres extends AsyncDisposable {
  readonly url: string
  readonly version: string
  /** Wall time from asking to accepting connections. */
  readonly startMs: number
  /** The container image's size, where PostgreSQL runs in a container. */
  readonly imageBytes?: number
  /** Where the profile can restart its database in place (local): stops the server, keeping data and port. */
  stopServer?(): Promise<void>
  /** Starts the server stopServer stopped. */
  startServer?(): Promise<void>
  stop(): Promise<void>
}

/** One of the pipeline's HTTP services, started and healthy. */
export interface StartedApp extends AsyncDisposable {
  readonly name: string
  readonly url: string
  readonly pid: number
  /** The loopback port of its inspector, where CPU profiles are on and it runs here (harness/cpu-profile.ts). */
  readonly inspectPort?: number
  /**
   * How load reaches this app where it does not run here: in a cluster, a generator Job beside it. When
   * absent, the generator runs as a process here against `url`.
   */
  readonly runLoad?: (options: Omit<GeneratorOptions, 'target'>) => Promise<GeneratorSummary>
  stop(): Promise<void>
}
