import { execFile } from 'node:child_process'
import { promisify } from 'node:util'
import { describe, expect, test } from 'vitest'
import { engineHasImage } from '../harness/container-engine.ts'
import { appImages } from '../harness/k3s/images.ts'

// The app images (scripts/build-app-images.sh, run by scripts/test-setup.sh) start as the manifests run them: as a
// non-root user on a read-only root filesystem. Without an engine or the images, this says so and skips.
const images = appImages()
const missing: string[] = []
for (const image of images) if (!(await engineHasImage(image))) missing.push(image)
const why = missing.length > 0 ? `no ${missing.join(', ')} (build with scripts/build-app-images.sh)` : ''
const run = promisify(execFile)

describe.skipIf(why !== '')(`app images${why ? ` (skipped: ${why})` : ''}`, () => {
  test.each(images)('%s runs non-root on a read-only root filesystem', async (image) => {
    const { stdout: user } = await run('docker', ['image', 'inspect', '-f', '{{.Config.User}}', image])
    expect(user.trim()).toBe('10001:10001')
    const { stdout } = await run('docker', ['run', '--rm', '--read-only', '--cap-drop=ALL', image, '--help'], { timeout: 30_000 })
    const app = /performance-observatory\/([a-z]+):/.exec(image)?.[1]
    expect(stdout).toContain(app)
  })
})
