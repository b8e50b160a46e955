#!/usr/bin/env bash
# Drift benchmark: DriftDetector.Compare against SciPy on the same data. Installs Debian's python3-scipy when missing.
# Usage: bench/Portal.Bench.Drift/run.sh [runs=7] [currentRows=1000000] [referenceRows=100000] [features=20]
set -euo pipefail
cd "$(dirname "$0")/../.."
if ! /usr/bin/python3 -c 'import scipy' 2>/dev/null; then
  apt-get install -y python3-scipy || { apt-get update && apt-get install -y python3-scipy; }
fi
dotnet build -c Release bench/Portal.Bench.Drift
dotnet bench/Portal.Bench.Drift/bin/Release/net10.0/Portal.Bench.Drift.dll "$@"
