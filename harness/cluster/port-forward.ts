import { createServer, type Socket } from 'node:net'
import { type KubeConfig, PortForward } from '@kubernetes/client-node'

/**
 * A local port that forwards to a Service's port in the cluster (kubectl port-forward svc/NAME), for the
 * cluster profile where node ports are not reachable. Each connection is its own tunnel through the API
 * server: fine for health, metrics and modest load; the k3s profile uses a node port instead.
 */
export async function forwardService(
  kc: KubeConfig,
  namespace: string,
  service: string,
  port: number,
): Promise<{ url: string; close(): Promise<void> }> {
  const forward = new PortForward(kc)
  const sockets = new Set<Socket>()
  const server = createServer((socket) => {
    sockets.add(socket)
    socket.on('close', () => sockets.delete(socket))
    forward.portForwardService(namespace, service, [port], socket, null, socket).catch((error: Error) => socket.destroy(error))
  })
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  const address = server.address()
  const localPort = typeof address === 'object' && address ? address.port : 0
  return {
    url: `http://127.0.0.1:${localPort}`,
    close: () =>
      new Promise((resolve) => {
        for (const s of sockets) s.destroy()
        server.close(() => resolve())
      }),
  }
}
