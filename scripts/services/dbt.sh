#!/usr/bin/env bash
# dbt: not a server. `start` makes sure the pinned virtual environment exists (cached
# outside the clone, rebuilt when dbt-requirements.txt changes); `status` checks it runs.
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

NAME=dbt
REQUIREMENTS="$NJ_SERVICES_DIR/dbt-requirements.txt"
VENV="$(dirname "$(dirname "$NIGHTJAR_DBT")")"
PYTHON="${NIGHTJAR_PYTHON:-python3}"

probe() { "$NIGHTJAR_DBT" --version >/dev/null 2>&1; }

# The venv is current when it was built from exactly this requirements file.
current() { [[ -f "$VENV/.nightjar-requirements" ]] && cmp -s "$REQUIREMENTS" "$VENV/.nightjar-requirements" && probe; }

start() {
  if current; then nj_say "dbt ready ($NIGHTJAR_DBT)"; return 0; fi
  nj_say "installing dbt into $VENV (pinned in $REQUIREMENTS)"
  mkdir -p "$NJ_STATE/$NAME"
  local log="$NJ_STATE/$NAME/install.log"
  {
    rm -rf "$VENV"
    "$PYTHON" -m venv "$VENV"
    "$VENV/bin/pip" install --quiet --disable-pip-version-check -r "$REQUIREMENTS"
  } >"$log" 2>&1 || { tail -n 30 "$log" >&2; nj_die "dbt install failed (log: $log)"; }
  probe || nj_die "dbt installed but '$NIGHTJAR_DBT --version' fails (log: $log)"
  cp "$REQUIREMENTS" "$VENV/.nightjar-requirements"
  nj_say "dbt ready ($NIGHTJAR_DBT)"
}

status() {
  if current; then echo "$NAME: installed ($NIGHTJAR_DBT)"; return 0; fi
  echo "$NAME: not installed"; return 3
}

case "${1:-}" in
  start) start ;;
  stop) : ;; # nothing runs
  status) status ;;
  *) nj_usage ;;
esac
