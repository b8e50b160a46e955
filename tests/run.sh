#!/usr/bin/env bash
# Runs every test project of Portal on a fresh Debian machine: installs what the tests need, builds, tests.
#   bash tests/run.sh            (extra arguments go to `dotnet test`, e.g. --filter FullyQualifiedName~Audit)
set -euo pipefail
cd "$(dirname "$0")/.."

as_root() { if [ "$(id -u)" = 0 ]; then "$@"; else sudo "$@"; fi; }

# Real-browser tests drive Debian's chromium (Playwright cannot download its own browser here).
if ! command -v chromium >/dev/null 2>&1; then
  echo "==> installing chromium (once per machine, about a minute)"
  as_root apt-get update -qq
  DEBIAN_FRONTEND=noninteractive as_root apt-get install -y -qq chromium >/dev/null
fi

# The PostgreSQL tests start a private server from Debian's binaries (never the system service).
if ! ls /usr/lib/postgresql/*/bin/initdb >/dev/null 2>&1; then
  echo "==> installing postgresql (once per machine)"
  as_root apt-get update -qq
  DEBIAN_FRONTEND=noninteractive as_root apt-get install -y -qq postgresql >/dev/null
fi

echo "==> restoring tools and packages"
dotnet tool restore >/dev/null
dotnet restore Portal.sln --verbosity quiet

echo "==> building"
dotnet build Portal.sln --no-restore --verbosity quiet -nologo

echo "==> testing"
log="$(mktemp)"
status=0
# One test assembly at a time, the real-browser tests last and alone: on a 2-core machine the Web tests' PostgreSQL
# servers and training runs beside chromium made the browser's waits time out.
projects=$(ls -d tests/*.Tests | grep -v EndToEnd)
for project in $projects tests/Portal.EndToEnd.Tests; do
  dotnet test "$project" --no-build --verbosity quiet -nologo --logger "console;verbosity=minimal" "$@" 2>&1 | tee -a "$log" || status=$?
done

# One closing line over all test assemblies: "tests: N passed, N failed, N skipped".
awk '/(Passed|Failed)!/ {
  for (i = 1; i <= NF; i++) {
    if ($i == "Failed:")  { f += $(i+1) }
    if ($i == "Passed:")  { p += $(i+1) }
    if ($i == "Skipped:") { s += $(i+1) }
  }
} END { printf "tests: %d passed, %d failed, %d skipped\n", p, f, s; if (p == 0) exit 1 }' FS='[ ,]+' "$log" || status=1
rm -f "$log"
exit "$status"
