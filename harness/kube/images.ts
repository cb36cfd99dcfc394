/** The kube profile's node image: scripts/build-kube-image.sh builds it offline. */
export const KUBE_IMAGE_ENV = 'BENCH_KUBE_IMAGE'
export const DEFAULT_KUBE_IMAGE = 'performance-observatory/kube-node:v1.34.4'
export const kubeImage = (env: NodeJS.ProcessEnv = process.env) => env[KUBE_IMAGE_ENV] ?? DEFAULT_KUBE_IMAGE

/** The node's entry point imports every image tarball in this directory into containerd before kubelet starts. */
export const KUBE_IMAGE_IMPORT_DIR = '/opt/images'
