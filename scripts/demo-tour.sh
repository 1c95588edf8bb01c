#!/usr/bin/env bash
# The single binaries at work, step by step (make demo runs it after the two-node cluster).
set -euo pipefail
cd "$(dirname "$0")/.."
bin=artifacts/bin
step() { printf '\n\033[1m== %s\033[0m\n' "$*"; }

step "Published components (NativeAOT: sluice-redirect $(du -h artifacts/publish/sluice-redirect | cut -f1), the multi-call binary $(du -h artifacts/publish/sluice | cut -f1) under every other name)"
ls -l "$bin"

for plugin in "$bin"/sluice-ipam; do
  step "$(basename "$plugin") VERSION"
  echo '{"cniVersion":"1.0.0"}' | CNI_COMMAND=VERSION "$plugin"
done

work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
cat > "$work/net.json" <<JSON
{"cniVersion":"1.1.0","name":"demo","type":"sluice-ipam",
 "ipam":{"type":"sluice-ipam","ranges":[[{"subnet":"10.88.0.0/24"}],[{"subnet":"fd88::/64"}]],
         "routes":[{"dst":"0.0.0.0/0"}],"dataDir":"$work/ipam"}}
JSON

step "sluice-ipam ADD (dual stack) for container demo-1"
CNI_COMMAND=ADD CNI_CONTAINERID=demo-1 CNI_NETNS=/var/run/netns/demo-1 CNI_IFNAME=eth0 "$bin/sluice-ipam" < "$work/net.json"
echo "store: $(ls -A "$work/ipam/demo" | tr '\n' ' ')"

step "sluice-ipam ADD again for the same attachment: refused (spec: no second ADD without DEL)"
CNI_COMMAND=ADD CNI_CONTAINERID=demo-1 CNI_NETNS=/var/run/netns/demo-1 CNI_IFNAME=eth0 "$bin/sluice-ipam" < "$work/net.json" 2>/dev/null || echo "(exit $?)"

step "sluice-ipam DEL twice, the second without a netns: both succeed"
CNI_COMMAND=DEL CNI_CONTAINERID=demo-1 CNI_NETNS=/var/run/netns/demo-1 CNI_IFNAME=eth0 "$bin/sluice-ipam" < "$work/net.json" && echo "DEL 1: ok"
CNI_COMMAND=DEL CNI_CONTAINERID=demo-1 CNI_IFNAME=eth0 "$bin/sluice-ipam" < "$work/net.json" && echo "DEL 2: ok"

step "A broken configuration: a CNI error object on stdout, exit code 1"
echo '{"cniVersion":"1.1.0","name":"demo","type":"sluice-ipam","ipam":{"ranges":[[{"subnet":"10.88.0.7/24"}]]}}' |
  CNI_COMMAND=ADD CNI_CONTAINERID=demo-2 CNI_NETNS=/x CNI_IFNAME=eth0 "$bin/sluice-ipam" 2>/dev/null || echo "(exit $?)"

step "An unsupported version"
echo '{"cniVersion":"0.2.0","name":"demo","type":"sluice-ipam"}' |
  CNI_COMMAND=ADD CNI_CONTAINERID=demo-2 CNI_NETNS=/x CNI_IFNAME=eth0 "$bin/sluice-ipam" 2>/dev/null || echo "(exit $?)"

capns=sluice-demo-capture
ip netns delete "$capns" 2>/dev/null || true
ip netns add "$capns"
trap 'rm -rf "$work"; ip netns delete "$capns" 2>/dev/null || true' EXIT

step "sluice-iptables: the msm preset as nftables, dry run (touches nothing)"
"$bin/sluice-iptables" --profile msm --backend nft --dry-run

step "sluice-iptables: apply the istio preset (TPROXY inbound, DNS) in netns $capns, then apply again"
"$bin/sluice-iptables" --profile istio -m TPROXY --redirect-dns --netns "/run/netns/$capns"
"$bin/sluice-iptables" --profile istio -m TPROXY --redirect-dns --netns "/run/netns/$capns"

step "sluice-iptables --verify after someone flushes a chain: exit 3 and what differs"
ip netns exec "$capns" nft flush chain inet sluice_capture nat_output
"$bin/sluice-iptables" --profile istio -m TPROXY --redirect-dns --netns "/run/netns/$capns" --verify || echo "(exit $?)"

step "sluice-iptables: switch to the iptables backend (the nftables copy is cleared), then clean up"
"$bin/sluice-iptables" --profile istio -m TPROXY --redirect-dns --backend iptables --netns "/run/netns/$capns"
echo "iptables-save -t nat in $capns: Sluice's chains and the jumps into them"
ip netns exec "$capns" iptables-save -t nat | grep -E '^(:SLUICE|-A (OUTPUT|PREROUTING))' | sed 's/^/  /'
"$bin/sluice-iptables" --profile istio -m TPROXY --redirect-dns --netns "/run/netns/$capns" --cleanup-only

step "sluice-iptables: an invalid value is refused before anything is touched (exit 2)"
"$bin/sluice-iptables" --profile istio -p 70000 --netns "/run/netns/$capns" || echo "(exit $?)"

agentdir="$work/node"
mkdir -p "$agentdir/src" "$agentdir/net.d"
cp "$bin/sluice-redirect" "$agentdir/src/"
echo "demo-token" > "$agentdir/token"
cat > "$agentdir/kubeconfig" <<YAML
apiVersion: v1
clusters:
- cluster:
    insecure-skip-tls-verify: true
    server: https://127.0.0.1:6443
  name: demo
contexts:
- context:
    cluster: demo
    user: agent
  name: demo
current-context: demo
users:
- name: agent
  user:
    tokenFile: $agentdir/token
YAML
echo '{"cniVersion":"1.0.0","name":"k8s-pod-network","type":"bridge","bridge":"cni0","ipam":{"type":"host-local","subnet":"10.88.0.0/24"}}' > "$agentdir/net.d/10-bridge.conf"

step "sluice-agent: installs the plugin, its kubeconfig and the chained entry (directories under $agentdir)"
CNI_BIN_DIR="$agentdir/bin" CNI_CONF_DIR="$agentdir/net.d" SOURCE_DIR="$agentdir/src" RUN_DIR="$agentdir/run" \
  KUBECONFIG="$agentdir/kubeconfig" HEALTH_PORT=0 PROFILE=msm "$bin/sluice-agent" 2> "$agentdir/agent.log" &
agent=$!
for _ in $(seq 100); do grep -qs sluice-redirect "$agentdir/net.d/10-bridge.conflist" && break; sleep 0.05; done
cat "$agentdir/net.d/10-bridge.conflist"

step "sluice-agent: another component rewrites the file without the entry; it is back at once"
echo '{"cniVersion":"1.0.0","name":"k8s-pod-network","plugins":[{"type":"bridge","bridge":"cni0","mtu":1400}]}' > "$agentdir/net.d/10-bridge.conflist.tmp"
mv "$agentdir/net.d/10-bridge.conflist.tmp" "$agentdir/net.d/10-bridge.conflist"
for _ in $(seq 100); do grep -qs sluice-redirect "$agentdir/net.d/10-bridge.conflist" && break; sleep 0.01; done
grep -o '"type": "[a-z-]*"' "$agentdir/net.d/10-bridge.conflist"

step "sluice-agent: SIGTERM keeps the entry, the kubeconfig and the binary (a restart opens no gap)"
kill -TERM "$agent"; wait "$agent"
grep -o '"type": "[a-z-]*"' "$agentdir/net.d/10-bridge.conflist"
echo "in bin: [$(ls -A "$agentdir/bin")]  in run: [$(ls -A "$agentdir/run")]"

step "sluice-agent uninstall: removes them (what helm uninstall's hook runs on every node)"
CNI_BIN_DIR="$agentdir/bin" CNI_CONF_DIR="$agentdir/net.d" SOURCE_DIR="$agentdir/src" RUN_DIR="$agentdir/run" \
  "$bin/sluice-agent" uninstall 2>> "$agentdir/agent.log"
grep -o '"type": "[a-z-]*"' "$agentdir/net.d/10-bridge.conflist"
echo "left in bin: [$(ls -A "$agentdir/bin")]  in run: [$(ls -A "$agentdir/run")]"
echo "agent log:"; sed 's/^/  /' "$agentdir/agent.log"
