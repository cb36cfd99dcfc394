import { execFile } from 'node:child_process'
import { join } from 'node:path'
import { promisify } from 'node:util'
import { chosenImplementation, type Implementation } from '../implementations.ts'

/** k3s imports every image tarball in this directory at start: how images reach it without a registry. */
export const K3S_IMAGE_IMPORT_DIR = '/var/lib/rancher/k3s/agent/images'
export const K3S_IMAGE_ENV = 'BENCH_K3S_IMAGE'
export const DEFAULT_K3S_IMAGE = 'rancher/k3s:v1.34.4-k3s1'
export const APP_IMAGE_TAG_ENV = 'BENCH_APP_IMAGE_TAG'
export const APPS = ['processor', 'generator', 'api', 'operator'] as const

export const k3sImage = (env: NodeJS.ProcessEnv = process.env) => env[K3S_IMAGE_ENV] ?? DEFAULT_K3S_IMAGE
const imageTag = (env: NodeJS.ProcessEnv) => env[APP_IMAGE_TAG_ENV] ?? 'dev'
export const appImage = (app: (typeof APPS)[number], env: NodeJS.ProcessEnv = process.env) =>
  `performance-observatory/${app}:${imageTag(env)}`
/** The processor's image for an implementation: the Rust one's is scripts/build-processor-rs-image.sh's. */
export const processorImage = (implementation: Implementation, env: NodeJS.ProcessEnv = process.env) =>
  implementation === 'typescript' ? appImage('processor', env) : `performance-observatory/processor-rs:${imageTag(env)}`
/** The images a cluster profile loads: the apps', and the chosen implementation's processor when it is another. */
export const appImages = (env: NodeJS.ProcessEnv = process.env) => {
  const implementation = chosenImplementation(env)
  return [...APPS.map((app) => appImage(app, env)), ...(implementation === 'typescript' ? [] : [processorImage(implementation, env)])]
}

/** Where a tarball goes in the k3s container, for Testcontainers' withCopyFilesToContainer. */
export function imageImportCopy(tarball: string): { source: string; target: string } {
  return { source: tarball, target: `${K3S_IMAGE_IMPORT_DIR}/performance-observatory-apps.tar` }
}

/** `docker save` of the app images into one tarball (shared layers once); returns its path. */
export async function saveImages(images: string[], directory: string): Promise<string> {
  const tarball = join(directory, 'performance-observatory-apps.tar')
  try {
    await promisify(execFile)('docker', ['save', '-o', tarball, ...images], { maxBuffer: 16 * 1024 * 1024 })
  } catch (error) {
    throw new Error(
      `Could not save the app images ${images.join(', ')}: ${(error as { stderr?: string }).stderr?.trim() || (error as Error).message}\n` +
        'Build them with scripts/build-app-images.sh (after scripts/build-offline-images.sh where no registry is reachable).',
    )
  }
  return tarball
}
