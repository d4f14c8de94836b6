#!/usr/bin/env bash
# The test suite as `make test` runs it (after ruff): the SQL lint and two pytest sessions at the same time.
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

# The SQL lint (sqlfluff, ≈ 27 s of CPU, ≈ 14 s on two cores) runs beside the start of the tests rather than before
# them (it fills the cores while the dbt project is parsed and the sessions start); `make test` fails if it fails,
# and its findings are printed the moment it ends. ruff, a second, runs before (the Makefile).
(
  make --no-print-directory lint-sql >"$SME_TEST_SHARED/sql-lint.log" 2>&1
  rc=$?
  [ "$rc" -eq 0 ] || { echo "== the SQL lint failed (make test fails; the tests go on):"; cat "$SME_TEST_SHARED/sql-lint.log"; }
  exit "$rc"
) &
lint_pid=$!

# Parse the dbt project once, while the sessions start (collecting ≈ 600 tests, starting the workers): the first
# run that needs the manifest waits for this parse (prepare_manifest's lock) instead of parsing it again, and the
# xdist controller leaves it to this one (tests/conftest.py pytest_sessionstart).
"$BIN/python" -c "from orchestration.lib.dbt_project import prepare_manifest; prepare_manifest()" &
prepare_pid=$!

if [ "$WORKERS" = "0" ]; then
  parallel=()
else
  parallel=(-n "$WORKERS" --dist loadgroup)
fi

# The timing session collects only the timing modules (collecting all of tests/ costs ≈ 3 s of CPU), unless the
# arguments name tests themselves (then, as before, the timing ones among them).
timing_files=()
named=0
for arg in "$@"; do [ -e "${arg%%::*}" ] && named=1; done
if [ "$named" = 0 ]; then
  mapfile -t timing_files < <(cd tests && "$BIN/python" -c "from conftest import TIMING; print(*sorted(TIMING), sep='\n')")
  timing_files=("${timing_files[@]/#/tests/}")
fi
"$BIN/pytest" -q -p no:cacheprovider -m timing "${timing_files[@]}" "$@" >"$SME_TEST_SHARED/timing.log" 2>&1 &
timing_pid=$!
nice -n 19 "$BIN/pytest" -q -p no:cacheprovider "${parallel[@]}" -m "not timing" "$@"
rest=$?
wait "$timing_pid"
timing=$?
wait "$lint_pid"
lint=$?
wait "$prepare_pid"
prepare=$?

echo
echo "== the timing tests (tests/conftest.py TIMING), run beside the others at normal priority"
cat "$SME_TEST_SHARED/timing.log"
echo
echo "== the SQL lint (make lint-sql), run beside the tests"
cat "$SME_TEST_SHARED/sql-lint.log"
# pytest's 5 is "no test selected": e.g. PYTEST_ARGS=-k corpus selects none of the timing tests
ok() { [ "$1" -eq 0 ] || [ "$1" -eq 5 ]; }
[ "$prepare" -eq 0 ] || echo "== parsing the dbt project (prepare_manifest) failed"
[ "$lint" -eq 0 ] && [ "$prepare" -eq 0 ] && ok "$rest" && ok "$timing"
