#!/usr/bin/env bash
# Redis: Debian's redis-server, run as our own process on our port with our data dir
# (not the system service, which may or may not exist).
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

NAME=redis
PORT="$NIGHTJAR_REDIS_PORT"
DIR="$NJ_STATE/$NAME"

probe() {
  # A real PING/PONG, not just an open port.
  local reply
  reply="$(exec 3<>"/dev/tcp/127.0.0.1/$PORT" && printf 'PING\r\n' >&3 && timeout 2 head -c 7 <&3)" || return 1
  [[ "$reply" == "+PONG"* ]]
}

install() {
  command -v redis-server >/dev/null && return 0
  nj_say "installing redis-server with apt"
  command -v apt-get >/dev/null || nj_die "redis-server is missing and there is no apt-get; install Redis 7+ and put redis-server on PATH"
  # apt-get update only when the package is unknown to the local lists.
  apt-cache policy redis-server 2>/dev/null | grep -q 'Candidate: [0-9]' || apt-get update -qq
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq redis-server >/dev/null
  # The package enables a system service on 6379; we never use it.
}

start() {
  nj_needs_start "$NAME" "$PORT" probe || return 0
  install
  mkdir -p "$DIR/data"
  # No persistence: test data is throw-away and snapshots would only cost I/O.
  nj_spawn "$NAME" redis-server --bind 127.0.0.1 --port "$PORT" --dir "$DIR/data" \
    --save '' --appendonly no --daemonize no --protected-mode yes
  nj_wait_healthy "$NAME" 30 probe
}

case "${1:-}" in
  start) start ;;
  stop) nj_stop_pid "$NAME" 10 ;;
  status) nj_status "$NAME" probe ;;
  *) nj_usage ;;
esac
