import type { KubeConfig } from '@kubernetes/client-node'
import { type GeneratorOptions, waitHealthy } from '../apps.ts'
import type { EnvironmentFigure, StartedApp, StartedPostgres } from '../environment.ts'
import { chosenImplementation } from '../implementations.ts'
import { deployPipeline } from './deploy.ts'
import { runGeneratorJob } from './generator-job.ts'
import { createRunNamespace, deleteNamespace } from './namespace.ts'

const REACHABLE_TIMEOUT_MS = 60_000

/** The pipeline deployed in a cluster: what the suites' postgres / processor / api fixtures hand out. */
export interface ClusterEnvironment extends AsyncDisposable {
  postgres: StartedPostgres
  processor: StartedApp
  api: StartedApp
  namespace: string
  /** The cluster itself, for suites that deploy more (the operator). */
  access: ClusterAccess
  /** What the environment cost: start times, rollout, image sizes, for the report. */
  figures: EnvironmentFigure[]
  stop(): Promise<void>
}

export interface ClusterAccess {
  kc: KubeConfig
  /** PostgreSQL as the pods reach it, and as this process reaches it. */
  postgresUrlInCluster: string
  postgres: StartedPostgres
  /** The generator image the cluster runs load Jobs from. */
  generatorImage: string
  /** How this process reaches a Service's port: a node port (k3s) or a port-forward (cluster). */
  reach(namespace: string, service: string, port: number): Promise<{ url: string; close(): Promise<void> }>
  /** Tears down what the profile started besides the namespace (containers, tunnels). */
  release(): Promise<void>
  figures?: EnvironmentFigure[]
}

/** Deploys the pipeline into a fresh run namespace; stop() deletes the namespace and releases the rest. */
export async function deployInRunNamespace(access: ClusterAccess): Promise<ClusterEnvironment> {
  const cleanups: (() => Promise<void>)[] = [() => access.release()]
  const stop = async () => {
    for (const cleanup of cleanups.splice(0)) await cleanup().catch((error) => console.error(`cleanup: ${(error as Error).message}`))
  }
  try {
    const namespace = await createRunNamespace(access.kc)
    cleanups.unshift(() => deleteNamespace(access.kc, namespace))
    const { rolloutMs } = await deployPipeline(access.kc, namespace, {
      databaseUrl: access.postgresUrlInCluster,
      implementation: chosenImplementation(),
    })
    const app = async (name: string): Promise<StartedApp> => {
      const reached = await access.reach(namespace, name, 8080)
      cleanups.unshift(() => reached.close())
      // A rolled-out Deployment is not yet a reachable node port: kube-proxy programs its rules a moment
      // later. Under CI the kube profile's first request was refused (ECONNREFUSED) once, its rollout done.
      await waitHealthy(reached.url, REACHABLE_TIMEOUT_MS)
      // The generator runs in the cluster too, so the load crosses the cluster's network as it would in use.
      const runLoad = (options: Omit<GeneratorOptions, 'target'>) =>
        runGeneratorJob(access.kc, namespace, access.generatorImage, { ...options, target: `http://${name}.${namespace}.svc:8080` })
      return { name, url: reached.url, pid: 0, runLoad, stop: async () => {}, [Symbol.asyncDispose]: async () => {} }
    }
    return {
      postgres: access.postgres,
      processor: await app('processor'),
      api: await app('api'),
      namespace,
      access,
      figures: [...(access.figures ?? []), { name: 'pipeline rollout (processor and API ready)', value: rolloutMs, unit: 'ms' }],
      stop,
      [Symbol.asyncDispose]: stop,
    }
  } catch (error) {
    await stop()
    throw error
  }
}
