#!/usr/bin/env bash
# The test suite as `make test` runs it (after the lint gate): two pytest sessions at the same time.
#
# - the `timing` tests (time limits of the product: a clean stop within 15 s, each service gone within its unit's
#   TimeoutStopSec, kills at observed phases, readers during a publish) in one process at normal priority;
# - everything else on PYTEST_WORKERS pytest-xdist workers (default 2) under `nice -n 19`.
#
# The kernel gives a nice-0 process ≈ 98 % of a core against a nice-19 one, so the timing tests see the machine
# as if alone whenever they need it, and the other tests use every moment they leave idle (start-ups, polls,
# waits for a service). Run one after the other, the two sessions took ≈ 10.5 min on this 2-core machine (CI saw
# a clean stop take 23 s against 15 s when both ran at one priority).
#
# Both sessions share one folder (SME_TEST_SHARED) for the pipeline homes every test session builds once (the
# published sample, the golden home of the fault tests; tests/sme_testing.py build_once): whichever session asks
# first builds, the other waits on its lock. The timing session's output is printed when both have finished.
#
# Usage: scripts/test.sh [pytest args…]   (PYTEST_WORKERS=0: the non-timing tests in one process)
set -uo pipefail
cd "$(dirname "$0")/.."
BIN="$PWD/.venv/bin"
WORKERS="${PYTEST_WORKERS:-2}"

SME_TEST_SHARED="$(mktemp -d "${TMPDIR:-/tmp}/sme-test.XXXXXX")"
export SME_TEST_SHARED
trap 'rm -rf "$SME_TEST_SHARED"' EXIT

# Parse the dbt project once before either session starts (else both sessions' first runs would find the
# manifest stale at the same moment and wait on each other's parse).
"$BIN/python" -c "from orchestration.lib.dbt_project import prepare_manifest; prepare_manifest()" || exit 1

if [ "$WORKERS" = "0" ]; then
  parallel=()
else
  parallel=(-n "$WORKERS" --dist loadgroup)
fi

"$BIN/pytest" -q -p no:cacheprovider -m timing "$@" >"$SME_TEST_SHARED/timing.log" 2>&1 &
timing_pid=$!
nice -n 19 "$BIN/pytest" -q -p no:cacheprovider "${parallel[@]}" -m "not timing" "$@"
rest=$?
wait "$timing_pid"
timing=$?

echo
echo "== the timing tests (tests/conftest.py TIMING), run beside the others at normal priority"
cat "$SME_TEST_SHARED/timing.log"
# pytest's 5 is "no test selected": e.g. PYTEST_ARGS=-k corpus selects none of the timing tests
ok() { [ "$1" -eq 0 ] || [ "$1" -eq 5 ]; }
ok "$rest" && ok "$timing"
