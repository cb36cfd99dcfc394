import { startApp } from './apps.ts'
import type { EnvironmentFigure, SimulatedCluster, StartedApp, StartedEnvironment, StartedPostgres } from './environment.ts'
import { postgresFigures } from './environment-figures.ts'

/**
 * An environment whose apps run as processes on this machine, writing to `postgres`: any processor
 * strategy or flags a suite asks for, each stopped with the environment. stop() stops the apps, then
 * `postgres`, then the simulated cluster where there is one.
 */
export function processEnvironment(
  postgres: StartedPostgres,
  extras: {
    /** Figures beyond PostgreSQL's own (image sizes, container start), measured when asked. */
    figures?: () => Promise<EnvironmentFigure[]>
    simulatedCluster?: SimulatedCluster & { stop(): Promise<void> }
    kubernetes?: string
  } = {},
): StartedEnvironment {
  const apps: StartedApp[] = []
  const started = async (app: Promise<StartedApp>) => {
    apps.push(await app)
    return app
  }
  const stop = async () => {
    await Promise.all(apps.splice(0).map((app) => app.stop()))
    await postgres.stop()
    await extras.simulatedCluster?.stop()
  }
  return {
    postgres,
    startProcessor: ({ implementation = 'typescript', strategy = 'optimized', args = [], port = 0 } = {}) =>
      started(startApp('processor', [`--database-url=${postgres.url}`, `--strategy=${strategy}`, ...args], port, implementation)),
    startApi: (processor) => started(startApp('api', [`--database-url=${postgres.url}`, `--processor-url=${processor.url}`])),
    ...(extras.simulatedCluster && { simulatedCluster: extras.simulatedCluster }),
    facts: { postgres: postgres.version, ...(extras.kubernetes && { kubernetes: extras.kubernetes }) },
    figures: async () => [...postgresFigures(postgres), ...((await extras.figures?.()) ?? [])],
    stop,
    [Symbol.asyncDispose]: stop,
  }
}
