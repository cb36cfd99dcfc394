import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import { setTimeout as sleep } from 'node:timers/promises'
import { ApiextensionsV1Api, type KubeConfig, loadYaml, type V1CustomResourceDefinition } from '@kubernetes/client-node'

export const CRD_FILE = join(import.meta.dirname, 'manifests', 'crd.yaml')

/** Creates the PipelineBenchmark CRD and waits until the API server serves it (Established). */
export async function installCrd(kc: KubeConfig, timeoutMs = 60_000): Promise<void> {
  // loadYaml maps the YAML's keys to the client's model (x-kubernetes-validations among them), which a
  // plain YAML parse would lose when the client serialises the object.
  const crd = loadYaml<V1CustomResourceDefinition>(readFileSync(CRD_FILE, 'utf8'))
  const extensions = kc.makeApiClient(ApiextensionsV1Api)
  await extensions.createCustomResourceDefinition({ body: crd })
  const deadline = Date.now() + timeoutMs
  for (;;) {
    const read = await extensions.readCustomResourceDefinition({ name: crd.metadata?.name as string })
    if (read.status?.conditions?.some((c) => c.type === 'Established' && c.status === 'True')) return
    if (Date.now() > deadline) throw new Error(`The CRD ${crd.metadata?.name} was not Established within ${timeoutMs} ms.`)
    await sleep(100)
  }
}
