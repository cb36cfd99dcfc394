import { expect, test } from 'vitest'
import { chooseProfile, resolveProfile } from './profile.ts'

const noEngine = { usable: false, detail: '/var/run/docker.sock: ENOENT' }
const engine = { usable: true, detail: 'Docker API at /var/run/docker.sock' }

test('without a request or an engine, local is chosen and the reason says why', () => {
  expect(chooseProfile(undefined, noEngine)).toEqual({
    name: 'local',
    reason: 'no container engine is usable (/var/run/docker.sock: ENOENT), so apps run as processes',
  })
})

test('with an engine but no docker provider yet, local is chosen and the reason says so', () => {
  const choice = chooseProfile(undefined, engine)
  expect(choice.name).toBe('local')
  expect(choice.reason).toContain('docker profile is not built yet')
})

test('an explicit local request is honoured', () => {
  expect(chooseProfile('local', engine).name).toBe('local')
})

test('an unknown profile is refused with the list of profiles', () => {
  expect(() => chooseProfile('kind', noEngine)).toThrow(
    "Unknown profile 'kind' (from --profile or BENCH_PROFILE); use one of: local, docker, k3s, cluster.",
  )
})

test('a planned but missing profile is refused, not silently replaced', () => {
  expect(() => chooseProfile('k3s', engine)).toThrow("The 'k3s' profile is not implemented yet")
})

test('a profile chosen by pnpm bench travels through the environment with its reason', async () => {
  expect(await resolveProfile({ BENCH_PROFILE: 'local', BENCH_PROFILE_REASON: 'chosen upstream' })).toEqual({
    name: 'local',
    reason: 'chosen upstream',
  })
})
