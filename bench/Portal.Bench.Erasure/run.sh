#!/usr/bin/env bash
# Erasure-impact benchmark: one data subject's key over 1,000 dataset versions of 100,000 rows (about 800 MB of index files
# in a temp folder, removed afterwards), with the index build rate measured through the real upload path.
# Usage: bench/Portal.Bench.Erasure/run.sh [versions=1000] [rows=100000] [warmRuns=30]
set -euo pipefail
cd "$(dirname "$0")/../.."
dotnet build -c Release bench/Portal.Bench.Erasure
dotnet bench/Portal.Bench.Erasure/bin/Release/net10.0/Portal.Bench.Erasure.dll "$@"
