#!/usr/bin/env bash
# IndexForge.Resilience entry point. Usable from any directory; restores and builds as needed.
#   ./run.sh                 run the default scenario suite on the embedded target
#   ./run.sh test            build and run every test; ends with "N passed, N failed, N skipped"
#   ./run.sh <command> ...   any CLI command (run, list, up, lint, compare, bench, reap); --help on each
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
CONFIG="${INDEXFORGE_CONFIGURATION:-Release}"
CLI_PROJECT="$ROOT/src/IndexForge.Resilience.Cli/IndexForge.Resilience.Cli.csproj"
CLI_DLL="$ROOT/src/IndexForge.Resilience.Cli/bin/$CONFIG/net10.0/indexforge-resilience.dll"
export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1 DOTNET_SKIP_FIRST_TIME_EXPERIENCE=1
# A bounded gen0 budget (4 MB) keeps the harness's memory flat however long a run lasts; the runtime
# default sizes it from the CPU cache (15-20 MB here), so a short run may end before its first
# collection while a long one carries a full budget of garbage (docs/benchmarks.md, memory).
# Read only from the environment at start-up (runtimeconfig.json does not carry it).
export DOTNET_GCgen0size="${DOTNET_GCgen0size:-0x400000}"

need_dotnet() {
  command -v dotnet >/dev/null 2>&1 || { echo "run.sh: the .NET SDK (dotnet) is not on PATH; install .NET 10 SDK" >&2; exit 2; }
}

# Rebuild the CLI only when a source file is newer than the last build.
build_cli() {
  need_dotnet
  if [[ ! -f "$CLI_DLL" ]] || [[ -n "$(find "$ROOT/src" "$ROOT/Directory.Build.props" "$ROOT/Directory.Packages.props" \
        \( -name '*.cs' -o -name '*.csproj' -o -name '*.props' -o -name '*.html' -o -name '*.css' -o -name '*.js' \) \
        -newer "$CLI_DLL" -print -quit 2>/dev/null)" ]]; then
    dotnet build "$CLI_PROJECT" -c "$CONFIG" -nologo -v quiet -clp:NoSummary\;ErrorsOnly >&2 || { echo "run.sh: build failed" >&2; exit 2; }
  fi
}

run_tests() {
  need_dotnet
  local results="$ROOT/TestResults"
  rm -rf "$results"; mkdir -p "$results"
  echo "building..." >&2
  if ! dotnet build "$ROOT/IndexForge.Resilience.sln" -c "$CONFIG" -nologo -v quiet -clp:NoSummary\;ErrorsOnly; then
    echo "build failed"
    echo "0 passed, 1 failed"
    return 1
  fi
  local log="$results/test-output.log" rc=0
  # One test assembly at a time: timing-sensitive tests share two cores with nothing else.
  set +e
  dotnet test "$ROOT/IndexForge.Resilience.sln" -c "$CONFIG" --no-build -nologo -m:1 \
      --results-directory "$results" --logger "trx" --logger "console;verbosity=normal" "$@" 2>&1 | tee "$log" | \
      grep -E --line-buffered '^\s*(Passed|Failed|Skipped) |Test Run (Failed|Aborted)|error|Error Message|^\s+at '
  rc=${PIPESTATUS[0]}
  set -e
  # Count from the TRX files (one per test assembly): total, executed, passed, failed.
  local passed=0 failed=0 skipped=0 counters total executed p f
  for trx in "$results"/*.trx; do
    [[ -f "$trx" ]] || continue
    counters=$(grep -o '<Counters [^>]*>' "$trx" | head -1)
    total=$(sed -nE 's/.* total="([0-9]+)".*/\1/p' <<<"$counters")
    executed=$(sed -nE 's/.* executed="([0-9]+)".*/\1/p' <<<"$counters")
    p=$(sed -nE 's/.* passed="([0-9]+)".*/\1/p' <<<"$counters")
    f=$(sed -nE 's/.* failed="([0-9]+)".*/\1/p' <<<"$counters")
    passed=$((passed + ${p:-0})); failed=$((failed + ${f:-0})); skipped=$((skipped + ${total:-0} - ${executed:-0}))
  done
  # Name every failed test again, with the first line of its message, just before the summary: a CI
  # log is often read from its tail, and the failure is otherwise buried among a thousand passes.
  if [[ $failed -gt 0 ]]; then
    echo "failed tests:"
    for trx in "$results"/*.trx; do
      [[ -f "$trx" ]] || continue
      awk '
        /<UnitTestResult / && /outcome="Failed"/ { match($0, /testName="[^"]*"/); name = substr($0, RSTART + 10, RLENGTH - 11); want = 1; next }
        want && /<Message>/ { line = $0; sub(/.*<Message>/, "", line); sub(/<\/Message>.*/, "", line)
                              printf "  %s: %s\n", name, substr(line, 1, 300); want = 0; next }
        want && /<\/UnitTestResult>/ { printf "  %s\n", name; want = 0 }
      ' "$trx" | sed -e 's/&quot;/"/g' -e "s/&apos;/'/g" -e 's/&lt;/</g' -e 's/&gt;/>/g' -e 's/&amp;/\&/g'
    done
  fi
  if [[ $rc -ne 0 && $failed -eq 0 ]]; then failed=1; echo "the test run itself failed (exit $rc); see $log"; fi
  echo "$passed passed, $failed failed, $skipped skipped"
  [[ $failed -eq 0 ]]
}

case "${1:-}" in
  test) shift; run_tests "$@" ;;
  "") build_cli; INDEXFORGE_REPO="$ROOT" exec dotnet "$CLI_DLL" run --suite default ;;
  *) build_cli; INDEXFORGE_REPO="$ROOT" exec dotnet "$CLI_DLL" "$@" ;;
esac
