#!/bin/bash
# The kube profile's node: one privileged container running an upstream Kubernetes control plane (etcd,
# kube-apiserver, kube-controller-manager, kube-scheduler) and a real node (containerd, kubelet,
# kube-proxy) on which pods really run. The mount and cgroup set-up follows kind's node entrypoint.
# Writes /etc/kubernetes/admin.conf for the host (server: this container's address) and prints
# "kube-node: control plane up" once the API server answers; any component exiting ends the container.
set -euo pipefail
log() { echo "kube-node: $*" >&2; }

NODE_NAME=${NODE_NAME:-kube-node}
SERVICE_CIDR=10.96.0.0/16
SERVICE_IP=10.96.0.1
POD_CIDR=10.244.0.0/24
PAUSE_IMAGE=${PAUSE_IMAGE:-performance-observatory/pause:kube-node}
ip=$(ip -4 -o addr show eth0 | awk '{ split($4, a, "/"); print a[1] }')
pki=/etc/kubernetes/pki
logs=/var/log/kubernetes
mkdir -p "$pki" "$logs" /etc/cni/net.d /var/lib/kubelet

# Mounts: pods' volumes need propagation (rshared), as kind's node does.
mount --make-rshared /

# cgroup v1 in a private cgroup namespace (docker run --cgroupns=private). Without --privileged (this
# machine's engine cannot grant CAP_SYS_RESOURCE, and privileged asks for every capability) Docker mounts
# the hierarchies read-only, so each is mounted afresh, with the same controllers, over a new tmpfs: in
# the private namespace they are rooted at this container's cgroup. kubelet's root, /kubelet, is then
# bind-mounted onto itself in every hierarchy, as kind's node does.
if [[ ! -f /sys/fs/cgroup/cgroup.controllers ]]; then
  if ! mkdir -p /sys/fs/cgroup/cpu/kubelet 2>/dev/null; then
    hierarchies=$(findmnt -lun -o target,options -t cgroup | grep -v /misc)
    mount -t tmpfs -o mode=755 cgroup /sys/fs/cgroup
    while read -r target options; do
      controllers=$(tr , '\n' <<<"$options" | grep -vxE 'ro|rw|nosuid|nodev|noexec|relatime' | paste -sd,)
      [[ $controllers == name=* ]] && controllers="none,$controllers"
      mkdir -p "$target"
      mount -t cgroup -o "$controllers" cgroup "$target"
    done <<<"$hierarchies"
  fi
  # kubelet's cgroup v1 manager does not know the misc controller: hide it, as kind's node does.
  if grep -q '^misc' /proc/cgroups; then
    grep -v '^misc' /proc/cgroups >/run/cgroups && mount --bind /run/cgroups /proc/cgroups
  fi
  mount --make-rprivate /sys/fs/cgroup
  for hierarchy in $(findmnt -lun -o target -t cgroup); do
    mkdir -p "$hierarchy/kubelet"
    if [[ $hierarchy == */cpuset* ]]; then
      cat "$hierarchy/cpuset.cpus" >"$hierarchy/kubelet/cpuset.cpus"
      cat "$hierarchy/cpuset.mems" >"$hierarchy/kubelet/cpuset.mems"
    fi
    mount --bind "$hierarchy/kubelet" "$hierarchy/kubelet"
  done
fi
# What kubelet reads of the machine: its kernel log (the OOM watcher) and an identity.
[[ -e /dev/kmsg ]] || mknod /dev/kmsg c 1 11
[[ -s /etc/machine-id ]] || head -c 16 /dev/urandom | od -An -tx1 | tr -d ' \n' >/etc/machine-id
sysctl -qw net.ipv4.ip_forward=1 net.bridge.bridge-nf-call-iptables=1 2>/dev/null || sysctl -qw net.ipv4.ip_forward=1

# PKI: a CA, the API server's serving certificate, the service-account signing key. Components and the
# host authenticate with static tokens (--token-auth-file): one file instead of a client cert each.
openssl req -x509 -newkey rsa:2048 -nodes -days 2 -subj /CN=kube-node-ca -keyout "$pki/ca.key" -out "$pki/ca.crt" 2>/dev/null
openssl req -newkey rsa:2048 -nodes -subj /CN=kube-apiserver -keyout "$pki/apiserver.key" -out "$pki/apiserver.csr" 2>/dev/null
# API_SERVER_SANS: the names (space-separated) the host reaches the published port by; the harness sets it.
sans="IP:$ip,IP:127.0.0.1,IP:$SERVICE_IP,DNS:localhost,DNS:kubernetes,DNS:kubernetes.default,DNS:kubernetes.default.svc,DNS:kubernetes.default.svc.cluster.local"
for name in ${API_SERVER_SANS:-}; do
  if [[ $name =~ ^[0-9.]+$ ]]; then sans+=",IP:$name"; else sans+=",DNS:$name"; fi
done
echo "subjectAltName=$sans" >"$pki/apiserver.ext"
openssl x509 -req -in "$pki/apiserver.csr" -CA "$pki/ca.crt" -CAkey "$pki/ca.key" -CAcreateserial -days 2 \
  -extfile "$pki/apiserver.ext" -out "$pki/apiserver.crt" 2>/dev/null
# The API server's client certificate for kubelets (logs, exec): system:masters, so kubelet's webhook allows it.
openssl req -newkey rsa:2048 -nodes -subj "/O=system:masters/CN=kube-apiserver-kubelet-client" -keyout "$pki/kubelet-client.key" \
  -out "$pki/kubelet-client.csr" 2>/dev/null
openssl x509 -req -in "$pki/kubelet-client.csr" -CA "$pki/ca.crt" -CAkey "$pki/ca.key" -CAcreateserial -days 2 \
  -out "$pki/kubelet-client.crt" 2>/dev/null
openssl genrsa -out "$pki/sa.key" 2048 2>/dev/null
openssl rsa -in "$pki/sa.key" -pubout -out "$pki/sa.pub" 2>/dev/null

token() { head -c 16 /dev/urandom | od -An -tx1 | tr -d ' \n'; }
declare -A tokens=([admin]=$(token) [kubelet]=$(token) [proxy]=$(token) [controller-manager]=$(token) [scheduler]=$(token) [dns]=$(token))
cat >/etc/kubernetes/tokens.csv <<CSV
${tokens[admin]},kube-admin,1,"system:masters"
${tokens[kubelet]},system:node:$NODE_NAME,2,"system:nodes"
${tokens[proxy]},system:kube-proxy,3
${tokens[controller-manager]},system:kube-controller-manager,4
${tokens[scheduler]},system:kube-scheduler,5
${tokens[dns]},system:coredns,6,"system:masters"
CSV
kubeconfig() { # file server token
  cat >"$1" <<YAML
apiVersion: v1
kind: Config
clusters: [{name: kube, cluster: {server: "$2", certificate-authority-data: "$(base64 -w0 "$pki/ca.crt")"}}]
users: [{name: user, user: {token: "$3"}}]
contexts: [{name: kube, context: {cluster: kube, user: user}}]
current-context: kube
YAML
}
for who in kubelet proxy controller-manager scheduler dns; do kubeconfig "/etc/kubernetes/$who.conf" https://127.0.0.1:6443 "${tokens[$who]}"; done
kubeconfig /etc/kubernetes/admin.conf "https://$ip:6443" "${tokens[admin]}"

start() { # name command...
  local name=$1
  shift
  "$@" >"$logs/$name.log" 2>&1 &
  pids[$!]=$name
}
declare -A pids

start etcd etcd --data-dir /var/lib/etcd --listen-client-urls http://127.0.0.1:2379 --advertise-client-urls http://127.0.0.1:2379 \
  --listen-peer-urls http://127.0.0.1:2380 --initial-advertise-peer-urls http://127.0.0.1:2380 \
  --initial-cluster default=http://127.0.0.1:2380 --quota-backend-bytes 1073741824
# OwnerReferencesPermissionEnforcement, as strict clusters have it: the operator's RBAC is held to it.
start kube-apiserver kube-apiserver --etcd-servers http://127.0.0.1:2379 --bind-address 0.0.0.0 --advertise-address "$ip" \
  --secure-port 6443 --tls-cert-file "$pki/apiserver.crt" --tls-private-key-file "$pki/apiserver.key" --client-ca-file "$pki/ca.crt" \
  --token-auth-file /etc/kubernetes/tokens.csv --authorization-mode Node,RBAC --enable-admission-plugins NodeRestriction,OwnerReferencesPermissionEnforcement \
  --service-cluster-ip-range "$SERVICE_CIDR" --service-account-issuer https://kubernetes.default.svc.cluster.local \
  --service-account-key-file "$pki/sa.pub" --service-account-signing-key-file "$pki/sa.key" \
  --kubelet-client-certificate "$pki/kubelet-client.crt" --kubelet-client-key "$pki/kubelet-client.key" \
  --kubelet-preferred-address-types InternalIP --allow-privileged
for _ in $(seq 1 120); do
  curl -fsk --max-time 1 https://127.0.0.1:6443/readyz -H "Authorization: Bearer ${tokens[admin]}" >/dev/null 2>&1 && break
  sleep 0.5
done
log "control plane up"
start kube-controller-manager kube-controller-manager --kubeconfig /etc/kubernetes/controller-manager.conf \
  --authentication-kubeconfig /etc/kubernetes/controller-manager.conf --authorization-kubeconfig /etc/kubernetes/controller-manager.conf \
  --service-account-private-key-file "$pki/sa.key" --root-ca-file "$pki/ca.crt" --use-service-account-credentials \
  --service-cluster-ip-range "$SERVICE_CIDR" --controllers '*,-nodeipam' --leader-elect=false
start kube-scheduler kube-scheduler --kubeconfig /etc/kubernetes/scheduler.conf \
  --authentication-kubeconfig /etc/kubernetes/scheduler.conf --authorization-kubeconfig /etc/kubernetes/scheduler.conf --leader-elect=false

# Cluster DNS: CoreDNS as a node service on the node's address (no image for it to run as a pod), which
# kubelet gives pods as their name server. Its token is an admin's: this node is a throwaway test bed.
cat >/etc/kubernetes/Corefile <<COREFILE
.:53 {
  bind $ip
  errors
  kubernetes cluster.local in-addr.arpa ip6.arpa {
    kubeconfig /etc/kubernetes/dns.conf kube
    pods insecure
    fallthrough in-addr.arpa ip6.arpa
  }
  forward . /etc/resolv.conf
  cache 30
}
COREFILE
start coredns coredns -conf /etc/kubernetes/Corefile

# The node. containerd's defaults fit (overlayfs on the tmpfs the container has at /var/lib/containerd,
# CNI in /opt/cni/bin and /etc/cni/net.d, cgroupfs) but for the sandbox image: the pause built with the
# node image (scripts/build-kube-image.sh), imported from /opt/images with the app images.
mkdir -p /etc/containerd
cat >/etc/containerd/config.toml <<TOML
version = 3
[plugins.'io.containerd.cri.v1.images'.pinned_images]
  sandbox = '$PAUSE_IMAGE'
# Without CAP_SYS_RESOURCE no process here may lower an OOM score: pods' scores start from containerd's.
[plugins.'io.containerd.cri.v1.runtime']
  restrict_oom_score_adj = true
TOML
cat >/etc/cni/net.d/10-pods.conflist <<JSON
{"cniVersion": "1.0.0", "name": "pods", "plugins": [
  {"type": "bridge", "bridge": "cni0", "isGateway": true, "ipMasq": true, "hairpinMode": true,
   "ipam": {"type": "host-local", "ranges": [[{"subnet": "$POD_CIDR"}]], "routes": [{"dst": "0.0.0.0/0"}]}},
  {"type": "portmap", "capabilities": {"portMappings": true}}]}
JSON
start containerd containerd
for _ in $(seq 1 60); do ctr version >/dev/null 2>&1 && break; sleep 0.5; done
for image in /opt/images/*.tar; do ctr -n k8s.io images import --local "$image" >/dev/null; done
cat >/var/lib/kubelet/config.yaml <<YAML
apiVersion: kubelet.config.k8s.io/v1beta1
kind: KubeletConfiguration
cgroupDriver: cgroupfs
cgroupRoot: /kubelet
containerRuntimeEndpoint: unix:///run/containerd/containerd.sock
failSwapOn: false
podCIDR: $POD_CIDR
clusterDNS: [$ip]
clusterDomain: cluster.local
authentication: {anonymous: {enabled: false}, webhook: {enabled: true}, x509: {clientCAFile: $pki/ca.crt}}
authorization: {mode: Webhook}
# The node's disk is the host's: never evict pods for what other tenants use (as kind does).
evictionHard: {nodefs.available: "0%", nodefs.inodesFree: "0%", imagefs.available: "0%"}
imageGCHighThresholdPercent: 100
YAML
start kubelet kubelet --config /var/lib/kubelet/config.yaml --kubeconfig /etc/kubernetes/kubelet.conf \
  --hostname-override "$NODE_NAME" --node-ip "$ip"
cat >/var/lib/kubelet/proxy.yaml <<YAML
apiVersion: kubeproxy.config.k8s.io/v1alpha1
kind: KubeProxyConfiguration
clientConnection: {kubeconfig: /etc/kubernetes/proxy.conf}
hostnameOverride: $NODE_NAME
mode: iptables
clusterCIDR: $POD_CIDR
# A container cannot set the host's conntrack table size.
conntrack: {maxPerCore: 0}
YAML
start kube-proxy kube-proxy --config /var/lib/kubelet/proxy.yaml

# A component that exits ends the node: its log's tail says why.
set +e
wait -n "${!pids[@]}"
code=$?
for pid in "${!pids[@]}"; do
  kill -0 "$pid" 2>/dev/null && continue
  log "${pids[$pid]} exited ($code); its log ends:"
  tail -20 "$logs/${pids[$pid]}.log" >&2
done
exit 1
