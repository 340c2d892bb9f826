#!/usr/bin/env bash
# Start, stop or report every local test service. Order matters: Trino keeps its
# metastore in the S3 bucket, so S3 comes up before it and goes down after it.
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
UP_ORDER=(redis kafka s3 dbt trino dns ldap)
DOWN_ORDER=(ldap dns trino dbt s3 kafka redis)

case "${1:-}" in
  up)
    for s in "${UP_ORDER[@]}"; do
      t0=$SECONDS
      "$here/$s.sh" start
      printf '[services] %-6s ready in %3ss\n' "$s" "$((SECONDS - t0))" >&2
    done
    ;;
  down)
    # Stop everything even when one stop fails, then report.
    rc=0
    for s in "${DOWN_ORDER[@]}"; do "$here/$s.sh" stop || rc=1; done
    exit $rc
    ;;
  status)
    rc=0
    for s in "${UP_ORDER[@]}"; do "$here/$s.sh" status || rc=3; done
    exit $rc
    ;;
  *) echo "usage: $0 {up|down|status}" >&2; exit 2 ;;
esac
