#!/usr/bin/env bash
# Runs a benchmark in Release. Usage: bench/run.sh NAME [ARGS...]   e.g. bench/run.sh lineage 625 300 both
# Figures and their reading are in docs/benchmarks.md; every run prints the machine load it ran under.
set -euo pipefail
cd "$(dirname "$0")/.."
name="${1:?usage: bench/run.sh NAME [ARGS...]}"
shift
case "$name" in
  lineage)
    # Downstream lineage at depth 10 over 100,000 nodes, SQLite and a private PostgreSQL 15 (package postgresql).
    dotnet run -c Release --project bench/Portal.Bench.Lineage -- "$@"
    ;;
  *)
    project="bench/Portal.Bench.${name^}"
    [ -d "$project" ] || { echo "No benchmark $project" >&2; exit 2; }
    dotnet run -c Release --project "$project" -- "$@"
    ;;
esac
