import type { EnvironmentFigure, StartedEnvironment } from '../environment.ts'
import { postgresFigures } from '../environment-figures.ts'
import { chosenImplementation } from '../implementations.ts'
import { type ClusterAccess, deployInRunNamespace } from './environment.ts'
import { serverGitVersion } from './server-version.ts'

/**
 * An environment whose apps run as pods: the pipeline deployed in a run namespace of `access`'s cluster.
 * It has one processor: the run's implementation (`pnpm bench --implementation`), optimized, default flags;
 * a suite that asks for another is told where it runs.
 */
export async function podEnvironment(
  profile: string,
  access: ClusterAccess,
  extraFigures: () => Promise<EnvironmentFigure[]> = async () => [],
): Promise<StartedEnvironment> {
  const deployedImplementation = chosenImplementation()
  const deployed = await deployInRunNamespace(access)
  try {
    const kubernetes = await serverGitVersion(access.kc)
    return {
      postgres: deployed.postgres,
      startProcessor: async ({ implementation = deployedImplementation, strategy = 'optimized', args = [], port } = {}) => {
        if (implementation !== deployedImplementation || strategy !== 'optimized' || args.length > 0 || port !== undefined) {
          throw new Error(
            `The ${profile} profile deploys one processor (${deployedImplementation}, optimized, default flags); this suite needs another: run it on local or docker.`,
          )
        }
        return deployed.processor
      },
      startApi: async () => deployed.api,
      deployed,
      facts: { postgres: deployed.postgres.version, kubernetes },
      figures: async () => [...postgresFigures(deployed.postgres), ...deployed.figures, ...(await extraFigures())],
      stop: () => deployed.stop(),
      [Symbol.asyncDispose]: () => deployed.stop(),
    }
  } catch (error) {
    await deployed.stop()
    throw error
  }
}
