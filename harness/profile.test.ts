import { expect, test } from 'vitest'
import { chooseProfile, resolveProfile } from './profile.ts'

const noEngine = { usable: false, detail: 'testcontainers found none: Could not find a working container runtime strategy' }
const engine = {
  usable: true,
  detail: 'Docker 26.1.5 on Debian GNU/Linux 13 (trixie)',
  postgresImage: { name: 'performance-observatory/postgres:offline', present: true },
}
const engineWithoutImage = { ...engine, postgresImage: { name: 'performance-observatory/postgres:offline', present: false } }

test('without a request or an engine, local is chosen and the reason says why', () => {
  expect(chooseProfile(undefined, noEngine)).toEqual({
    name: 'local',
    reason:
      'no container engine is usable (testcontainers found none: Could not find a working container runtime strategy), so apps run as processes',
  })
})

test('with an engine and the PostgreSQL image, the docker profile is chosen', () => {
  expect(chooseProfile(undefined, engine)).toEqual({
    name: 'docker',
    reason:
      'a container engine answers (Docker 26.1.5 on Debian GNU/Linux 13 (trixie)) with performance-observatory/postgres:offline: PostgreSQL runs in a container',
  })
})

test('with an engine but no image, local is chosen and the reason says how to get the image', () => {
  const choice = chooseProfile(undefined, engineWithoutImage)
  expect(choice.name).toBe('local')
  expect(choice.reason).toContain('has no performance-observatory/postgres:offline image')
  expect(choice.reason).toContain('scripts/build-offline-images.sh')
})

test('an explicit local request is honoured', () => {
  expect(chooseProfile('local', engine).name).toBe('local')
})

test('an unknown profile is refused with the list of profiles', () => {
  expect(() => chooseProfile('kind', noEngine)).toThrow(
    "Unknown profile 'kind' (from --profile or BENCH_PROFILE); use one of: local, docker, kwok, k3s, kube, cluster.",
  )
})

test("a profile asked for is used as asked, never silently replaced (whether it can run is the suites' to say)", () => {
  expect(chooseProfile('k3s', engine)).toMatchObject({ name: 'k3s' })
  expect(chooseProfile('kwok', engine)).toMatchObject({ name: 'kwok' })
})

test('a profile chosen by pnpm bench travels through the environment with its reason', async () => {
  expect(await resolveProfile({ BENCH_PROFILE: 'local', BENCH_PROFILE_REASON: 'chosen upstream' })).toEqual({
    name: 'local',
    reason: 'chosen upstream',
  })
})
