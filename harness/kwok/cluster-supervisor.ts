// Runs one kwok cluster (a real kube-apiserver, etcd, controller-manager and scheduler, with simulated
// nodes) for a benchmark or test, in its own process: kwokctl starts the components as background
// processes, and this process deletes the cluster when told to or when its parent dies (our stdin closes),
// so a killed run leaves no apiserver behind. Prints one 'ready' line with the kubeconfig path.
import { execFile } from 'node:child_process'
import { randomBytes } from 'node:crypto'
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { promisify } from 'node:util'
import { announceReady, onShutdownRequest } from '../../apps/shared/lifecycle.ts'
import { controlPlaneBinaries } from './control-plane.ts'

/** This supervisor's 'ready' line, read by ./cluster.ts. */
export interface KwokClusterReady {
  name: string
  kubeconfig: string
  workdir: string
  bin: string
  nodes: number
  buildMs: number
  /** Cluster creation until nodes exist, without the binaries' build. */
  startMs: number
  createMs: number
}

const nodes = Number(process.argv[2] ?? '3')
const run = promisify(execFile)
const name = `po-${randomBytes(4).toString('hex')}`
const workdir = mkdtempSync(join(tmpdir(), 'performance-observatory-kwok-'))
const kubeconfig = join(workdir, 'kubeconfig.yaml')
let bin = ''
let created = false

const kwokctl = (args: string[], timeoutMs = 180_000) =>
  run(join(bin, 'kwokctl'), ['--name', name, ...args], {
    env: { ...process.env, KWOK_WORKDIR: workdir },
    timeout: timeoutMs,
    maxBuffer: 16 * 1024 * 1024,
  })

onShutdownRequest(async () => {
  if (created || bin)
    await kwokctl(['delete', 'cluster'], 60_000).catch((error) => console.error(`kwokctl delete cluster: ${error.message}`))
  rmSync(workdir, { recursive: true, force: true })
})

try {
  const buildStarted = performance.now()
  bin = await controlPlaneBinaries()
  const buildMs = performance.now() - buildStarted
  const started = performance.now()
  created = true
  // kube-apiserver's default service range is a /24: 254 Services, and the operator suite makes 1000.
  const config = join(workdir, 'kwokctl.yaml')
  writeFileSync(
    config,
    'apiVersion: config.kwok.x-k8s.io/v1alpha1\nkind: KwokctlConfiguration\ncomponentsPatches:\n' +
      '  - name: kube-apiserver\n    extraArgs:\n      - { key: service-cluster-ip-range, value: 10.96.0.0/16 }\n',
  )
  await kwokctl([
    `--config=${config}`,
    'create',
    'cluster',
    '--runtime=binary',
    `--kubeconfig=${kubeconfig}`,
    `--kube-apiserver-binary=${join(bin, 'kube-apiserver')}`,
    `--kube-controller-manager-binary=${join(bin, 'kube-controller-manager')}`,
    `--kube-scheduler-binary=${join(bin, 'kube-scheduler')}`,
    `--etcd-binary=${join(bin, 'etcd')}`,
    `--kwok-controller-binary=${join(bin, 'kwok')}`,
    // The controller-manager's and scheduler's own client rate limits would otherwise pace pod creation,
    // and the operator suite would measure them rather than the operator.
    '--disable-qps-limits',
    '--wait=120s',
  ])
  const createMs = performance.now() - started
  await kwokctl(['scale', 'node', `--replicas=${nodes}`])
  announceReady<KwokClusterReady>({ name, kubeconfig, workdir, bin, nodes, buildMs, startMs: performance.now() - started, createMs })
} catch (error) {
  const e = error as { stderr?: string; message: string }
  console.error(`kwok cluster ${name} did not start: ${e.stderr?.slice(-3000) || e.message}`)
  process.exit(1)
}
