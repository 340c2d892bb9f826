#!/usr/bin/env bash
# npm install (postinstall) and `npm run setup:dbt`: sets up the project's dbt (a Python
# virtual environment with dbt-duckdb and dbt-trino, pinned in
# scripts/services/dbt-requirements.txt) so `nightjar baselines` and the demo's baselines
# work. The install itself is scripts/services/dbt.sh's; this only decides whether to try.
#
# Never fails the install: without Python 3, offline, or when pip fails it prints one
# line saying how to enable baselines and exits 0. NIGHTJAR_SKIP_DBT=1 skips it.
set -uo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
python="${NIGHTJAR_PYTHON:-python3}"
hint="baselines stay off until dbt is set up: run 'npm run setup:dbt' with Python 3 (3.9+, with venv) and network access to PyPI"

if [[ "${NIGHTJAR_SKIP_DBT:-}" == "1" ]]; then exit 0; fi
if ! command -v "$python" >/dev/null 2>&1 || ! "$python" -c 'import sys, venv; sys.exit(sys.version_info < (3, 9))' >/dev/null 2>&1; then
  echo "[nightjar] Python 3 with venv not found; $hint"
  exit 0
fi
if ! NIGHTJAR_PYTHON="$python" bash "$here/services/dbt.sh" start; then
  echo "[nightjar] dbt could not be installed (offline?); $hint"
  exit 0
fi
exit 0
