import { randomBytes } from 'node:crypto'
import { setTimeout as sleep } from 'node:timers/promises'
import { CoreV1Api, type KubeConfig } from '@kubernetes/client-node'
import { RUN_LABEL } from '../container-engine.ts'

export { RUN_LABEL }

/** One namespace per run, labelled so a leftover one is recognisable (and removable by label). */
export async function createRunNamespace(kc: KubeConfig): Promise<string> {
  const run = randomBytes(4).toString('hex')
  const name = `po-run-${run}`
  await kc.makeApiClient(CoreV1Api).createNamespace({
    body: { metadata: { name, labels: { 'app.kubernetes.io/part-of': 'performance-observatory', [RUN_LABEL]: run } } },
  })
  return name
}

/** Deletes the namespace and waits until the API server no longer has it (its objects are gone too). */
export async function deleteNamespace(kc: KubeConfig, name: string, timeoutMs = 120_000): Promise<void> {
  const core = kc.makeApiClient(CoreV1Api)
  await core.deleteNamespace({ name }).catch((error: { code?: number }) => {
    if (error.code !== 404) throw error
  })
  const deadline = Date.now() + timeoutMs
  while (Date.now() < deadline) {
    const gone = await core.readNamespace({ name }).then(
      () => false,
      (error: { code?: number }) => error.code === 404,
    )
    if (gone) return
    await sleep(250)
  }
  throw new Error(`Namespace ${name} was still terminating after ${timeoutMs} ms; remove it with kubectl delete namespace ${name}.`)
}
