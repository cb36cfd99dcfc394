import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { dirname, join } from 'node:path'
import { expect, test } from 'vitest'
import { clusterProfile } from './cluster/profile.ts'
import { dockerProfile } from './docker/profile.ts'
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
  const noEngine = { DOCKER_HOST: 'unix:///nonexistent/docker.sock' }
  expect(await dockerProfile.unavailable(noEngine)).toMatch(/^no container engine \(\/nonexistent\/docker\.sock: ENOENT\): start one/)
  expect(await profileNamed('kube').unavailable(noEngine)).toMatch(/^the kube profile needs a container engine/)
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
