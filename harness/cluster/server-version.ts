import { KubeConfig, VersionApi } from '@kubernetes/client-node'

/** The API server's own version (`v1.34.4`), for the results' fingerprint; `kubeconfig` is a file or a loaded config. */
export async function serverGitVersion(kubeconfig: string | KubeConfig): Promise<string> {
  const kc = typeof kubeconfig === 'string' ? new KubeConfig() : kubeconfig
  if (typeof kubeconfig === 'string') kc.loadFromFile(kubeconfig)
  return (await kc.makeApiClient(VersionApi).getCode()).gitVersion
}
