import { STRATEGIES } from '../apps/processor/writers.ts'
import { appImageSizes } from '../harness/container-engine.ts'
import { timeProcessorContainerStart } from '../harness/docker/app-container.ts'
import { test } from '../harness/fixtures.ts'
import { runsInCluster } from '../harness/kubernetes.ts'
import { describeRun, expectNoLoss, pipelineCharts, pipelineMetrics, runPipeline } from '../harness/pipeline-run.ts'

// Steady open-loop load at two rates, each write strategy side by side in the same run and database.
// The naive strategy takes about 10k events/s here, so it saturates at both rates: see pipelineMetrics.
const SATURATING = new Set(['naive'])
const SCENARIOS = [
  { rate: Number(process.env.BENCH_PIPELINE_RATE ?? 10_000), seconds: Number(process.env.BENCH_PIPELINE_DURATION_S ?? 10) },
  { rate: 50_000, seconds: 5 },
]

// What the environment costs before any load: start time of this profile's PostgreSQL, and its image size
// where it runs in a container.
// A cluster profile's environment starts inside this test, its first user: a node, pods and a rollout
// (about a minute on the kube node here, more on a slow machine), within the harness's own 10-minute limit.
test('environment', { timeout: 11 * 60_000 }, async ({ profile, postgres, inCluster, record }) => {
  record({ name: 'PostgreSQL start', value: postgres.startMs, unit: 'ms', direction: 'lower', tolerance: 1 })
  if (postgres.imageBytes !== undefined) {
    record({ name: 'PostgreSQL image size', value: postgres.imageBytes / 2 ** 20, unit: 'MiB', direction: 'lower', tolerance: 0.1 })
  }
  if (runsInCluster(profile)) {
    for (const f of (await inCluster()).figures) record({ ...f, direction: 'lower', tolerance: f.unit === 'MiB' ? 0.1 : 1 })
  }
  // The app images (scripts/build-app-images.sh), where the engine has them: what the k3s and kube profiles
  // ship, and on docker how long the processor's container takes from `docker run` to healthy.
  if (profile.name === 'docker' || profile.name === 'k3s' || profile.name === 'kube') {
    const sizes = await appImageSizes()
    for (const [image, bytes] of sizes) {
      record({ name: `image size ${image}`, value: bytes / 2 ** 20, unit: 'MiB', direction: 'lower', tolerance: 0.1 })
    }
    const processorImage = sizes.find(([image]) => image.includes('/processor:'))?.[0]
    if (profile.name === 'docker' && processorImage) {
      const startMs = await timeProcessorContainerStart(processorImage, postgres.url)
      record({ name: 'processor container start (to healthy)', value: startMs, unit: 'ms', direction: 'lower', tolerance: 1 })
    }
  }
})

for (const { rate, seconds } of SCENARIOS) {
  for (const strategy of STRATEGIES) {
    // A saturated strategy drains its backlog after the load: at 50k events/s offered to 7k/s (the naive one
    // on a slow machine) that is 40-60 s, over 120 s under a CPU quota: beyond vitest's default 60 s.
    test(`steady ${rate} events/s for ${seconds} s, ${strategy}`, { timeout: seconds * 1000 + 330_000 }, async ({
      profile,
      startProcessor,
      postgres,
      record,
      chart,
      skip,
    }) => {
      if (runsInCluster(profile) && strategy !== 'optimized')
        return skip(`the ${profile.name} profile deploys the optimized processor only`)
      const processor = await startProcessor({ strategy })
      const run = await runPipeline(processor, postgres, { ratePerSecond: rate, durationSeconds: seconds, source: `${strategy}-${rate}` })

      // Refused events are retried by the generator; any it finally gave up on are counted as failed.
      expectNoLoss(run)
      console.log(describeRun(`pipeline ${strategy} at ${rate}/s`, run))
      for (const metric of pipelineMetrics(run, { saturating: SATURATING.has(strategy) })) record(metric)
      for (const series of pipelineCharts(`${strategy} ${rate}/s`, run)) chart(series)
    })
  }
}
