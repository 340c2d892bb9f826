#!/usr/bin/env bash
# DNS: Debian's dnsmasq as our own process on a loopback port. Authoritative for nothing
# but the hosts files in $DIR/hosts.d, which tests write (dnsmasq re-reads that folder by
# itself when files change): A and PTR answers from them, NXDOMAIN for every other
# reverse name, no upstream servers, no /etc/hosts.
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

NAME=dns
PORT="$NIGHTJAR_DNS_PORT"
DIR="$NJ_STATE/$NAME"
PROBE_NAME=probe.nightjar.test

probe() {
  # A real answer from our zone, not just an open port.
  command -v dig >/dev/null && { dig +short +time=1 +tries=1 -p "$PORT" @127.0.0.1 "$PROBE_NAME" A | grep -qx '127.0.0.53'; return; }
  node -e '
    const { Resolver } = require("node:dns").promises;
    const r = new Resolver({ timeout: 1000, tries: 1 });
    r.setServers(["127.0.0.1:" + process.argv[1]]);
    r.resolve4(process.argv[2]).then((a) => process.exit(a.includes("127.0.0.53") ? 0 : 1), () => process.exit(1));
  ' "$PORT" "$PROBE_NAME"
}

install() {
  command -v dnsmasq >/dev/null && return 0
  nj_say "installing dnsmasq-base with apt"
  command -v apt-get >/dev/null || nj_die "dnsmasq is missing and there is no apt-get; install dnsmasq and put it on PATH"
  apt-cache policy dnsmasq-base 2>/dev/null | grep -q 'Candidate: [0-9]' || apt-get update -qq
  # dnsmasq-base: the binary without the system service
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq dnsmasq-base >/dev/null
}

start() {
  nj_needs_start "$NAME" "$PORT" probe || return 0
  install
  mkdir -p "$DIR/hosts.d"
  printf '127.0.0.53 %s\n' "$PROBE_NAME" >"$DIR/hosts.d/00-probe"
  # TCP too (nj_port_open probes TCP); --local makes every reverse name and the test
  # domain ours, so unknown addresses get NXDOMAIN at once instead of REFUSED.
  nj_spawn "$NAME" dnsmasq --keep-in-foreground --log-facility=- --conf-file=/dev/null \
    --no-resolv --no-hosts --no-poll --bind-interfaces --listen-address=127.0.0.1 --port="$PORT" \
    --hostsdir="$DIR/hosts.d" --local=/in-addr.arpa/ --local=/ip6.arpa/ --local=/nightjar.test/ \
    --user="$(id -un)" --pid-file="$DIR/dnsmasq.pid" --cache-size=0
  nj_wait_healthy "$NAME" 20 probe
}

case "${1:-}" in
  start) start ;;
  stop) nj_stop_pid "$NAME" 10 ;;
  status) nj_status "$NAME" probe ;;
  *) nj_usage ;;
esac
