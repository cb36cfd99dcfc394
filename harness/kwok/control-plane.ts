import { execFile, spawnSync } from 'node:child_process'
import { join } from 'node:path'
import { promisify } from 'node:util'

const BUILD_SCRIPT = join(import.meta.dirname, '..', '..', 'scripts', 'build-control-plane.sh')

/**
 * The directory with kube-apiserver, kube-controller-manager, kube-scheduler, etcd, kwok and kwokctl,
 * built from Go modules by scripts/build-control-plane.sh (instant once built). Throws with what to do
 * when Go is missing or the build fails.
 */
export async function controlPlaneBinaries(): Promise<string> {
  try {
    const { stdout } = await promisify(execFile)('bash', [BUILD_SCRIPT], { maxBuffer: 64 * 1024 * 1024, timeout: 60 * 60_000 })
    return stdout.trim().split('\n').at(-1) as string
  } catch (error) {
    const stderr = String((error as { stderr?: string }).stderr ?? '').slice(-2000)
    throw new Error(
      `The kwok profile's control plane could not be built (bash scripts/build-control-plane.sh): ${stderr || (error as Error).message}\n` +
        'It needs Go >= 1.24 and the Go module proxy; run the script by hand to see the whole log.',
    )
  }
}

/** Why the kwok profile cannot run here, or '' when it can: Go builds (or reuses) its binaries. */
export function goMissing(): string {
  const found = spawnSync('go', ['version'], { encoding: 'utf8' })
  return found.status === 0 ? '' : 'Go is not installed, and the kwok profile builds Kubernetes from Go modules; install Go >= 1.24'
}
