import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { dirname, join } from 'node:path'
import { expect, test } from 'vitest'
import { nodeContainerUnavailable } from './cluster/node-container-profile.ts'
import { clusterProfile } from './cluster/profile.ts'
import { DEFAULT_POSTGRES_IMAGE, probeContainerEngine } from './container-engine.ts'
import { dockerUnavailable } from './docker/profile.ts'
import { KUBE_NODE } from './kube/profile.ts'
import { localProfile } from './local/profile.ts'
import { DEFAULT_PROFILE, PROFILE_NAMES, PROFILES, profileNamed } from './profiles.ts'

const KUBECONFIG = `apiVersion: v1
kind: Config
clusters: [{ name: c, cluster: { server: 'https://127.0.0.1:6443' } }]
users: [{ name: u, user: { token: t } }]
contexts: [{ name: x, context: { cluster: c, user: u } }]
current-context: x
`

test('every profile is one folder of harness/ with its profile.ts, listed once under a name of its own', () => {
  expect(new Set(PROFILE_NAMES).size).toBe(PROFILES.length)
  for (const name of PROFILE_NAMES) expect(existsSync(join(import.meta.dirname, name, 'profile.ts')), name).toBe(true)
  expect(profileNamed('kube').pods).toBe('real')
  expect(() => profileNamed('kind')).toThrow("Unknown profile 'kind'; use one of: local, docker, kwok, k3s, kube, cluster.")
})

test('the default profile runs anywhere: nothing can make it unavailable', async () => {
  expect(DEFAULT_PROFILE).toBe(localProfile)
  expect(await localProfile.unavailable()).toBe('')
})

test('a profile that cannot run here says why and what to do', async () => {
  // What an engine probe can find, as literals: the messages are pure functions of it.
  const noEngine = { usable: false, detail: 'testcontainers found none: Could not find a working container runtime strategy' }
  const withoutImage = { usable: true, detail: 'Docker 26.1.5', postgresImage: { name: DEFAULT_POSTGRES_IMAGE, present: false } }
  expect(dockerUnavailable(noEngine)).toMatch(
    /^no container engine \(testcontainers found none: .*\): start one \(scripts\/start-docker\.sh\)/,
  )
  expect(dockerUnavailable(withoutImage)).toMatch(
    /^no image performance-observatory\/postgres:offline: build it with scripts\/build-offline-images\.sh/,
  )
  expect(nodeContainerUnavailable(KUBE_NODE, noEngine, [])).toMatch(/^the kube profile needs a container engine/)
  expect(nodeContainerUnavailable(KUBE_NODE, withoutImage, ['performance-observatory/kube-node:v1.34.4'])).toMatch(
    /^the engine lacks performance-observatory\/kube-node:v1\.34\.4: build the kube node with scripts\/build-kube-image\.sh/,
  )
  expect(await clusterProfile.unavailable({})).toMatch(/KUBECONFIG/)
  const kubeconfig = join(mkdtempSync(join(tmpdir(), 'profiles-test-')), 'kubeconfig')
  writeFileSync(kubeconfig, KUBECONFIG)
  try {
    expect(await clusterProfile.unavailable({ KUBECONFIG: kubeconfig })).toMatch(/needs BENCH_CLUSTER_DATABASE_URL/)
    expect(await clusterProfile.unavailable({ KUBECONFIG: kubeconfig, BENCH_CLUSTER_DATABASE_URL: 'postgres://db/bench' })).toBe('')
  } finally {
    rmSync(dirname(kubeconfig), { recursive: true })
  }
})

test('the local profile starts PostgreSQL and apps as processes, and stops them all', async () => {
  const environment = await localProfile.start()
  try {
    expect(environment.facts.postgres).toMatch(/^\d+/)
    const processor = await environment.startProcessor({ strategy: 'naive' })
    const api = await environment.startApi(processor)
    for (const app of [processor, api]) expect((await fetch(`${app.url}/healthz`)).status).toBe(200)
    expect((await environment.figures()).map((f) => f.name)).toEqual(['PostgreSQL start'])
    await environment.stop()
    await expect(fetch(`${processor.url}/healthz`)).rejects.toThrow()
    expect(() => process.kill(processor.pid, 0)).toThrow()
  } finally {
    await environment.stop()
  }
})

// scripts/test-setup.sh starts dockerd; where it cannot run, the test says so in its name.
const probed = await probeContainerEngine({ BENCH_POSTGRES_IMAGE: 'performance-observatory/no-such-image:0' })

test.skipIf(!probed.usable)(
  `the engine probe asks the engine testcontainers finds: which one, and whether it has an image${probed.usable ? '' : ` (skipped: ${probed.detail})`}`,
  async () => {
    expect(probed.detail).toMatch(/^Docker \d+\.\d+/)
    expect(probed.postgresImage).toEqual({ name: 'performance-observatory/no-such-image:0', present: false })
    expect((await probeContainerEngine({})).postgresImage).toEqual({ name: DEFAULT_POSTGRES_IMAGE, present: true })
  },
)
