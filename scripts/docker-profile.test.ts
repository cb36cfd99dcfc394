import { expect, test } from 'vitest'
import { engineHasImage } from '../harness/container-engine.ts'
import { dockerProfile } from '../harness/docker/profile.ts'
import { appImages } from '../harness/k3s/images.ts'
import { benchResults } from './bench-results.ts'
import { containersLeftBy } from './labelled-containers.ts'

// `pnpm bench pipeline --profile docker` end to end: the pipeline suite against a PostgreSQL container
// built offline (scripts/test-setup.sh starts dockerd and builds the image). Skipped, with the reason in its name, where
// no engine or image is available.
const why = await dockerProfile.unavailable()

test.skipIf(why !== '')(
  `pnpm bench pipeline --profile docker runs against a container and leaves none${why ? ` (skipped: ${why})` : ''}`,
  { timeout: 300_000 },
  async () => {
    const { value: results, left } = await containersLeftBy(() =>
      benchResults(['pipeline', '--profile', 'docker'], { BENCH_PIPELINE_DURATION_S: '3' }),
    )
    expect(results.environment.profile).toBe('docker')
    const pipeline = results.suites.find((s) => s.suite === 'pipeline')
    expect(pipeline?.status).toBe('passed')
    const figure = (name: string) => pipeline?.metrics.find((m) => m.name === name)?.value
    expect(figure('PostgreSQL image size')).toBeGreaterThan(10)
    expect(figure('PostgreSQL start')).toBeGreaterThan(0)
    // With the app images built (scripts/test-setup.sh does), their sizes and the processor container's start are recorded.
    if (await engineHasImage(appImages()[0] as string)) {
      expect(figure('processor container start (to healthy)')).toBeGreaterThan(0)
      expect(figure(`image size ${appImages()[0]}`)).toBeGreaterThan(10)
    }
    expect(left).toEqual([])
  },
)
