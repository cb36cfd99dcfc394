import { CoreV1Api, KubeConfig } from '@kubernetes/client-node'
import { AbstractStartedContainer, GenericContainer, getContainerRuntimeClient, type StartedTestContainer, Wait } from 'testcontainers'
import { KUBE_IMAGE_IMPORT_DIR } from './images.ts'

const API_PORT = 6443
const NODE_NAME = 'kube-node'
const NODE_READY_TIMEOUT_MS = 120_000

/**
 * An upstream Kubernetes node in one container (scripts/kube-node/entrypoint.sh): the control plane,
 * containerd, kubelet and kube-proxy; pods really run in it. Set up as kind's node is, but without
 * --privileged: this machine's engine cannot grant CAP_SYS_RESOURCE, and privileged asks for every
 * capability. So: every capability but that one, no seccomp or AppArmor confinement, every device, a
 * private cgroup namespace, and tmpfs for the state that must not sit on the image's overlayfs
 * (containerd's snapshots are overlayfs themselves).
 */
export class KubeNodeContainer extends GenericContainer {
  constructor(image: string) {
    super(image)
    this.withAddedCapabilities('ALL')
      .withDroppedCapabilities('SYS_RESOURCE')
      .withSecurityOpt('seccomp=unconfined', 'apparmor=unconfined')
      .withTmpFs({ '/var/lib/containerd': 'rw', '/var/lib/kubelet': 'rw,exec', '/var/lib/etcd': 'rw', '/run': 'rw,exec' })
      .withExposedPorts(API_PORT)
      .withWaitStrategy(Wait.forLogMessage('kube-node: control plane up'))
      .withStartupTimeout(120_000)
    // Not among Testcontainers' options; Docker's HostConfig fields (empty path lists: /proc and /sys
    // unmasked, what the CLI's --security-opt systempaths=unconfined sends).
    Object.assign(this.hostConfig, { CgroupnsMode: 'private', DeviceCgroupRules: ['a *:* rwm'], MaskedPaths: [], ReadonlyPaths: [] })
  }

  /** Image tarballs the node imports before kubelet starts (no registry is reachable here). */
  withImageTarballs(tarballs: string[]): this {
    return this.withCopyFilesToContainer(tarballs.map((source, i) => ({ source, target: `${KUBE_IMAGE_IMPORT_DIR}/images-${i}.tar` })))
  }

  /** The API server's certificate names the address this host reaches the engine's published ports at. */
  protected override async beforeContainerCreated(): Promise<void> {
    this.withEnvironment({ API_SERVER_SANS: (await getContainerRuntimeClient()).info.containerRuntime.host })
  }

  override async start(): Promise<StartedKubeNode> {
    const container = await super.start()
    const node = new StartedKubeNode(container, await adminKubeconfig(container))
    await node.waitForNodeReady(NODE_READY_TIMEOUT_MS)
    return node
  }
}

export class StartedKubeNode extends AbstractStartedContainer {
  private readonly kubeconfig: string

  constructor(container: StartedTestContainer, kubeconfig: string) {
    super(container)
    this.kubeconfig = kubeconfig
  }

  /** An admin kubeconfig for this host: the API server at its published port (its certificate names localhost and 127.0.0.1). */
  getKubeConfig(): string {
    return this.kubeconfig
  }

  /** Polls until the node reports Ready: kubelet registered and its runtime and network up. */
  async waitForNodeReady(timeoutMs: number): Promise<void> {
    const kc = new KubeConfig()
    kc.loadFromString(this.kubeconfig)
    const core = kc.makeApiClient(CoreV1Api)
    const deadline = Date.now() + timeoutMs
    let lastError = ''
    for (;;) {
      const node = await core.readNode({ name: NODE_NAME }).catch((error: Error) => {
        lastError = error.message
      })
      if (node?.status?.conditions?.some((c) => c.type === 'Ready' && c.status === 'True')) return
      if (Date.now() > deadline) {
        const logs = await this.exec(['sh', '-c', 'tail -n 15 /var/log/kubernetes/kubelet.log'])
        throw new Error(
          `The kube node was not Ready within ${timeoutMs} ms (last answer: ${lastError || 'not Ready'}); kubelet's log ends:\n${logs.output}`,
        )
      }
      await new Promise((resolve) => setTimeout(resolve, 250))
    }
  }
}

/** The entry point's admin kubeconfig, pointed at the API server's published port. */
async function adminKubeconfig(container: StartedTestContainer): Promise<string> {
  const { output, exitCode } = await container.exec(['cat', '/etc/kubernetes/admin.conf'])
  if (exitCode !== 0) throw new Error(`The kube node wrote no admin kubeconfig: ${output}`)
  return output.replace(/server: "https:\/\/[^"]+"/, `server: "https://${container.getHost()}:${container.getMappedPort(API_PORT)}"`)
}
