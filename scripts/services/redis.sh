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
  # The package also enables a system service on 6379; we never use it.
  nj_apt_install redis-server redis-server
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
