#!/usr/bin/env bash
# Serve what people look at: the Dagster UI, the Superset boards and the dbt docs, on 127.0.0.1.
# Ctrl-C (SIGINT) or SIGTERM stops all of them within 15 s.
set -euo pipefail
cd "$(dirname "$0")/.."
ROOT="$PWD"
export SME_HOME="${SME_HOME:-$ROOT/var}"
export DAGSTER_HOME="${DAGSTER_HOME:-$SME_HOME/dagster}"
export DBT_SEND_ANONYMOUS_USAGE_STATS=false DO_NOT_TRACK=1
DAGSTER_PORT="${DAGSTER_PORT:-3000}"
SUPERSET_PORT="${SUPERSET_PORT:-8088}"
DOCS_PORT="${DOCS_PORT:-8081}"
mkdir -p "$DAGSTER_HOME" "$SME_HOME/logs"
# the same dagster.yaml the CLI writes (telemetry off, the project's event log storage)
"$ROOT/.venv/bin/python" -c 'import os, pathlib; from orchestration.lib.instance import ensure_dagster_yaml; ensure_dagster_yaml(pathlib.Path(os.environ["DAGSTER_HOME"]))'

# Each service runs in its own process group (job control on), so that a stop reaches every process a service
# started (dagster dev's webserver, daemon and code servers; Superset's workers; dbt docs). On SIGTERM or SIGINT:
# TERM to every group, up to STOP_GRACE seconds for them to go, then KILL; all within 15 s.
set -m
STOP_GRACE="${STOP_GRACE:-8}"
pids=()
stopped=0
cleanup() {
  [ "$stopped" = 1 ] && return
  stopped=1
  trap - INT TERM
  for p in "${pids[@]}"; do kill -TERM -- "-$p" 2>/dev/null || true; done
  for _ in $(seq 1 $((STOP_GRACE * 5))); do
    alive=0
    for p in "${pids[@]}"; do kill -0 -- "-$p" 2>/dev/null && alive=1; done
    [ "$alive" = 0 ] && break
    sleep 0.2
  done
  for p in "${pids[@]}"; do kill -KILL -- "-$p" 2>/dev/null || true; done
  wait 2>/dev/null || true
}
trap cleanup EXIT
trap 'cleanup; exit 143' TERM
trap 'cleanup; exit 130' INT

echo "启动 Dagster UI（端口 $DAGSTER_PORT）……"
.venv/bin/dagster dev -m orchestration.defs.definitions -h 127.0.0.1 -p "$DAGSTER_PORT" >"$SME_HOME/logs/dagster.log" 2>&1 &
pids+=($!)

echo "生成并启动 dbt 文档（端口 $DOCS_PORT）……"
( cd dbt_project && ../.venv/bin/sme-dbt docs generate --profiles-dir . --project-dir . --quiet >"$SME_HOME/logs/dbt-docs.log" 2>&1 \
  && exec ../.venv/bin/dbt docs serve --profiles-dir . --project-dir . --host 127.0.0.1 --port "$DOCS_PORT" --no-browser >>"$SME_HOME/logs/dbt-docs.log" 2>&1 ) &
pids+=($!)

if [ "${SERVE_SUPERSET:-1}" = 1 ] && [ -x dashboards/serve.sh ]; then
  echo "启动 Superset（端口 $SUPERSET_PORT）……"
  SUPERSET_PORT="$SUPERSET_PORT" dashboards/serve.sh >"$SME_HOME/logs/superset.log" 2>&1 &
  pids+=($!)
  for _ in $(seq 1 120); do curl -fs "http://127.0.0.1:$SUPERSET_PORT/health" >/dev/null 2>&1 && break; sleep 1; done
fi

echo
echo "Dagster UI:   http://127.0.0.1:$DAGSTER_PORT"
echo "Superset:     http://127.0.0.1:$SUPERSET_PORT"
echo "dbt 文档:     http://127.0.0.1:$DOCS_PORT"
if [ "${1:-}" = "--print-credentials" ] && [ -f "$SME_HOME/superset/credentials" ]; then
  echo "Superset 账号（用户名 密码，保存在 $SME_HOME/superset/credentials）:"
  sed 's/^/  /' "$SME_HOME/superset/credentials"
fi
echo "日志在 $SME_HOME/logs/。按 Ctrl-C 停止。"
wait
