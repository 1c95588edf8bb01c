#!/usr/bin/env bash
# make demo: what the published binaries do, step by step. Grows into the two-node cluster demo.
set -euo pipefail
cd "$(dirname "$0")/.."
bin=artifacts/bin
step() { printf '\n\033[1m== %s\033[0m\n' "$*"; }

step "Published components ($(du -h artifacts/publish/sluice | cut -f1) NativeAOT binary, one per name)"
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
ip netns exec "$capns" iptables-save -t nat | grep -E '^(:SLUICE|-A (OUTPUT|PREROUTING))'
"$bin/sluice-iptables" --profile istio -m TPROXY --redirect-dns --netns "/run/netns/$capns" --cleanup-only

step "sluice-iptables: an invalid value is refused before anything is touched (exit 2)"
"$bin/sluice-iptables" --profile istio -p 70000 --netns "/run/netns/$capns" || echo "(exit $?)"
