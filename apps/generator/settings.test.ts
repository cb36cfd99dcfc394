import { spawnSync } from 'node:child_process'
import { join } from 'node:path'
import { expect, test } from 'vitest'
import { commandOf } from './settings.ts'

const load = (args: string[], env: NodeJS.ProcessEnv = {}) => {
  const command = commandOf(args, env)
  if (!('load' in command)) throw new Error(`not a load: ${JSON.stringify(command)}`)
  return command.load
}

test('flags give one load, over the defaults and the environment', () => {
  expect(commandOf(['--help'])).toEqual({ help: true })
  expect(commandOf(['--serve'])).toEqual({ serve: true })
  const settings = load(['--rate=5000', '--duration-s=3', '--batch-size=200', '--source=s'], { TARGET_URL: 'http://t:1' })
  expect(settings).toMatchObject({
    target: 'http://t:1',
    shape: { pattern: { kind: 'steady', rate: 5000 } },
    durationMs: 3000,
    batchSize: 200,
    lingerMs: 5,
    source: 's',
    maxAttempts: 8,
  })
  expect(load(['--target=http://flag:1'], { TARGET_URL: 'http://env:1' }).target).toBe('http://flag:1')
})

test('a bad setting says what is wrong', () => {
  expect(() => commandOf(['--rate=5'], {})).toThrow('--target (or TARGET_URL, or "target" in --config) is required')
  expect(() => commandOf(['--target=http://t:1', '--rate=-1'], {})).toThrow("--rate must be a positive number, got '-1'")
  expect(() => commandOf(['--target=http://t:1', '--rate=5', '--shape={}'], {})).toThrow('give one of --rate')
  expect(() => commandOf(['--target=http://t:1', '--mix=cpu=1'], {})).toThrow('--mix takes kind=weight pairs')
  expect(() => commandOf(['--speed=9'], {})).toThrow("Unknown option '--speed'")
})

test('--serve refuses a line that is not a JSON array of flags, with exit code 2', () => {
  const main = join(import.meta.dirname, 'main.ts')
  for (const [line, message] of [
    ['nope', '--serve reads one JSON array of flags per line'],
    ['{"rate":5}', '--serve reads one JSON array of flags per line, got {"rate":5}'],
    ['["--help"]', '--serve runs loads; a line cannot ask for help'],
    ['["--rate=5"]', '--target (or TARGET_URL'],
  ]) {
    const answer = spawnSync(process.execPath, [main, '--serve'], {
      input: `${line}\n`,
      encoding: 'utf8',
      env: { ...process.env, TARGET_URL: '' },
    })
    expect(answer.status, line).toBe(2)
    expect(answer.stderr, line).toContain(message)
  }
})
