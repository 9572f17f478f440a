#!/usr/bin/env bash
# Stop everything (stop.sh) and remove all state: venv, PostgreSQL cluster, project, password,
# logs.  The next setup.sh starts from scratch (pip install, initdb, migrate).
set -euo pipefail
HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
HD_STATE="${HD_STATE:-/var/lib/helpdesk-bench}"
KEEP_DB=0 bash "$HERE/stop.sh"
case "$HD_STATE" in /|"") echo "refusing to remove '$HD_STATE'" >&2; exit 1;; esac
rm -rf "$HD_STATE"
echo "removed $HD_STATE"
