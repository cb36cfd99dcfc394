import { mkdtemp, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { expect, test } from 'vitest'
import { RUN_DESCRIPTION_ENV, readRunDescription, writeRunDescription } from './run-description.ts'

test('a run description written by pnpm bench reads back; without one the reporter is on its own', async () => {
  const file = join(await mkdtemp(join(tmpdir(), 'run-description-')), 'run.json')
  const description = {
    resultsFile: '/r/run.json',
    baselinesDir: '/b',
    profile: { name: 'local', reason: 'no engine' },
    references: {},
    notes: ['history: not read'],
    progress: false,
  }
  writeRunDescription(file, description)
  expect(readRunDescription({ [RUN_DESCRIPTION_ENV]: file })).toEqual(description)
  expect(readRunDescription({})).toBeUndefined()
})

test('a malformed run description names the file and each field that is wrong', async () => {
  const file = join(await mkdtemp(join(tmpdir(), 'run-description-')), 'run.json')
  await writeFile(
    file,
    JSON.stringify({ resultsFile: '', baselinesDir: '/b', profile: { name: 'local' }, references: {}, progress: 'yes' }),
  )
  const read = () => readRunDescription({ [RUN_DESCRIPTION_ENV]: file })
  expect(read).toThrow(file)
  expect(read).toThrow(/at \/resultsFile: must NOT have fewer than 1 characters/)
  expect(read).toThrow(/at \/profile: must have required property 'reason'/)
  expect(read).toThrow(/at \/: must have required property 'notes'/)
  expect(read).toThrow(/at \/progress: must be boolean/)
})
