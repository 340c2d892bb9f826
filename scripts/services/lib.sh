#!/usr/bin/env bash
# Shared helpers for the service scripts. Sourced, never run.
#
# Two places on disk, on purpose:
#   NJ_CACHE  (~/.cache/nightjar by default): downloads and installs, shared by every
#             clone on the machine so a fresh CI clone starts warm.
#   NJ_STATE  (<clone>/.services, git-ignored): data dirs, pid files and logs of this
#             clone's running services.
# Ports are fixed (services.env), so only one stack runs per machine: `start` first
# probes the port and does nothing when a healthy service already answers there.

set -euo pipefail

NJ_SERVICES_DIR="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
NJ_REPO="$(cd "$NJ_SERVICES_DIR/../.." && pwd)"
NJ_CACHE="${NIGHTJAR_CACHE_DIR:-$HOME/.cache/nightjar}"
NJ_STATE="${NIGHTJAR_STATE_DIR:-$NJ_REPO/.services}"
NJ_JAVA17="${NIGHTJAR_JAVA17:-java}"
NJ_JAVA25_HOME="${NIGHTJAR_JAVA25_HOME:-/usr/lib/jvm/temurin-25-jdk-amd64}"

# Load services.env: KEY=value lines, ${HOME} substituted, comments skipped.
# Values already in the environment win, so a user can move a port without editing the file.
while IFS= read -r line || [[ -n "$line" ]]; do
  [[ "$line" =~ ^[[:space:]]*(#|$) ]] && continue
  key="${line%%=*}"
  value="${line#*=}"
  value="${value//\$\{HOME\}/$HOME}"
  if [[ -z "${!key:-}" ]]; then export "$key=$value"; fi
done < "$NJ_SERVICES_DIR/services.env"
unset line key value

nj_say() { printf '[services] %s\n' "$*" >&2; }
nj_die() { printf '[services] ERROR: %s\n' "$*" >&2; exit 1; }

# True when something accepts TCP connections on 127.0.0.1:$1.
nj_port_open() { (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null; }

# Pid file of a service in this clone, and whether that process is alive.
nj_pidfile() { echo "$NJ_STATE/$1/pid"; }
nj_running_pid() {
  local f; f="$(nj_pidfile "$1")"
  [[ -f "$f" ]] || return 1
  local pid; pid="$(cat "$f")"
  [[ -n "$pid" ]] && kill -0 "$pid" 2>/dev/null && echo "$pid"
}

# Start a command in the background, detached from the caller's terminal and job
# control, logging to $NJ_STATE/<name>/<name>.log; records its pid.
nj_spawn() {
  local name="$1"; shift
  local dir="$NJ_STATE/$name"
  mkdir -p "$dir"
  local log="$dir/$name.log"
  : >"$log"
  setsid nohup "$@" >>"$log" 2>&1 </dev/null &
  echo $! >"$(nj_pidfile "$name")"
}

# Wait until `probe` (a function name) succeeds, at most $timeout seconds. Fails with
# the log path and its tail when the process dies or the time runs out.
nj_wait_healthy() {
  local name="$1" timeout="$2" probe="$3"
  local log="$NJ_STATE/$name/$name.log" waited=0
  while ! "$probe" >/dev/null 2>&1; do
    if ! nj_running_pid "$name" >/dev/null; then
      nj_say "$name exited during start-up; last lines of $log:"
      tail -n 30 "$log" >&2 || true
      nj_die "$name failed to start (log: $log)"
    fi
    if (( waited >= timeout )); then
      nj_say "$name not healthy after ${timeout}s; last lines of $log:"
      tail -n 30 "$log" >&2 || true
      nj_die "$name did not become healthy within ${timeout}s (log: $log)"
    fi
    sleep 1; waited=$((waited + 1))
  done
  nj_say "$name healthy after ${waited}s"
}

# Stop this clone's process of a service: TERM, then KILL after a grace period.
nj_stop_pid() {
  local name="$1" grace="${2:-30}" pid
  if ! pid="$(nj_running_pid "$name")"; then
    rm -f "$(nj_pidfile "$name")"
    nj_say "$name not running (from this clone)"
    return 0
  fi
  kill -TERM "$pid" 2>/dev/null || true
  local i
  for ((i = 0; i < grace; i++)); do
    kill -0 "$pid" 2>/dev/null || break
    sleep 1
  done
  if kill -0 "$pid" 2>/dev/null; then
    nj_say "$name did not stop in ${grace}s; killing"
    kill -KILL "$pid" 2>/dev/null || true
  fi
  rm -f "$(nj_pidfile "$name")"
  nj_say "$name stopped"
}

# Common `start` prologue: a no-op when the service already answers. When the port is
# taken by something unhealthy, refuse rather than start a second copy.
# Returns 0 when the caller should go on starting, 1 when it is already up.
nj_needs_start() {
  local name="$1" port="$2" probe="$3"
  if "$probe" >/dev/null 2>&1; then
    local pid
    if pid="$(nj_running_pid "$name")"; then
      nj_say "$name already running (pid $pid)"
    else
      nj_say "$name already answering on port $port (started elsewhere); leaving it alone"
    fi
    return 1
  fi
  if nj_port_open "$port"; then
    nj_die "port $port is in use but $name does not answer there; stop whatever holds it (see: ss -ltnp 'sport = :$port')"
  fi
  return 0
}

nj_status() {
  local name="$1" probe="$2" pid
  if "$probe" >/dev/null 2>&1; then
    if pid="$(nj_running_pid "$name")"; then echo "$name: up (pid $pid)"; else echo "$name: up (not started by this clone)"; fi
    return 0
  fi
  echo "$name: down"
  return 3
}

# Install Debian packages when a needed command is missing (CI runs as root with apt).
nj_apt_install() { # command package
  command -v "$1" >/dev/null && return 0
  command -v apt-get >/dev/null || nj_die "$1 is missing and there is no apt-get; install $2"
  nj_say "installing $2 with apt"
  # apt-get update only when the package is unknown to the local lists.
  apt-cache policy "$2" 2>/dev/null | grep -q 'Candidate: [0-9]' || apt-get update -qq
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "$2" >/dev/null || nj_die "apt-get install $2 failed"
}

# Fetch Maven artifacts through Maven itself so ~/.m2 caches them too.
# Maven's output is kept out of the way and shown only when it fails.
nj_mvn() {
  nj_apt_install mvn maven
  local out; out="$(mktemp)"
  if ! mvn -B -Dstyle.color=never "$@" >"$out" 2>&1; then
    grep -E 'ERROR|BUILD' "$out" | head -n 20 >&2 || true
    rm -f "$out"
    nj_die "mvn $* failed"
  fi
  rm -f "$out"
}
nj_mvn_copy() { # groupId:artifactId:version[:type[:classifier]] outdir
  nj_mvn dependency:copy "-Dartifact=$1" "-DoutputDirectory=$2" -Dmdep.overWriteIfNewer=true
}

# Mark an install as complete only after every step succeeded, so an interrupted
# download is redone instead of half-used.
nj_installed() { [[ -f "$1/.nightjar-installed" ]]; }
nj_mark_installed() { date -u +%FT%TZ >"$1/.nightjar-installed"; }

nj_usage() { echo "usage: $0 {start|stop|status}" >&2; exit 2; }
