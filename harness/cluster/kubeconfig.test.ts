import { mkdtempSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { expect, test } from 'vitest'
import { kubeconfigFromEnv } from './kubeconfig.ts'

const dir = mkdtempSync(join(tmpdir(), 'kubeconfig-test-'))
const file = (name: string, text: string) => {
  const path = join(dir, name)
  writeFileSync(path, text)
  return path
}
const good = file(
  'good.yaml',
  `apiVersion: v1
kind: Config
clusters: [{ name: c, cluster: { server: "https://127.0.0.1:6443" } }]
users: [{ name: u, user: { token: t } }]
contexts: [{ name: ctx, context: { cluster: c, user: u } }]
current-context: ctx
`,
)

test('the first existing file of a KUBECONFIG path list is loaded, with its current context', () => {
  const kc = kubeconfigFromEnv({ KUBECONFIG: `${join(dir, 'absent.yaml')}:${good}` })
  expect(kc.getCurrentCluster()?.server).toBe('https://127.0.0.1:6443')
})

test('each way the cluster can be missing says what to do', () => {
  expect(() => kubeconfigFromEnv({})).toThrow('needs KUBECONFIG')
  expect(() => kubeconfigFromEnv({ KUBECONFIG: join(dir, 'absent.yaml') })).toThrow('names no file that exists')
  const noContext = file('no-context.yaml', 'apiVersion: v1\nkind: Config\nclusters: []\nusers: []\ncontexts: []\n')
  expect(() => kubeconfigFromEnv({ KUBECONFIG: noContext })).toThrow('has no current-context')
})
