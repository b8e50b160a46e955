#!/usr/bin/env bash
# Audit verification benchmark (issue 13): 1,000,000 chained entries in SQLite, verified against signed checkpoints.
# Usage: bench/Portal.Bench.Audit/run.sh [entries=1000000] [runs=3] [checkpoints=10]
set -euo pipefail
cd "$(dirname "$0")/../.."
dotnet build -c Release bench/Portal.Bench.Audit
dotnet bench/Portal.Bench.Audit/bin/Release/net10.0/Portal.Bench.Audit.dll "$@"
