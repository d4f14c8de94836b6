#!/usr/bin/env bash
# Provision Superset (idempotent: metadata, bundle import, roles, RLS, users) and serve it on
# 127.0.0.1:${SUPERSET_PORT:-8088}. Waits until /health answers, prints the URL (and, with
# --print-credentials, the demo accounts), then stays in the foreground until Superset exits.
#
#   SME_HOME=... dashboards/serve.sh [--print-credentials]
set -euo pipefail
cd "$(dirname "$0")/.."
ROOT="$PWD"
export SME_HOME="${SME_HOME:-$ROOT/var}"
export SUPERSET_CONFIG_PATH="$ROOT/dashboards/superset_config.py"
export FLASK_APP="superset.app:create_app()"
export SUPERSET_LOAD_EXAMPLES=no
export PYTHONPATH="$ROOT/dashboards${PYTHONPATH:+:$PYTHONPATH}"
PORT="${SUPERSET_PORT:-8088}"
SVENV="${SUPERSET_VENV:-$ROOT/.venv-superset}"

if [ ! -f "$SME_HOME/warehouse/serving.duckdb" ]; then
  echo "注意：$SME_HOME/warehouse/serving.duckdb 不存在——先运行 sme-monitor run（make run）再看看板。" >&2
fi

"$SVENV/bin/python" "$ROOT/dashboards/provision.py"

"$SVENV/bin/superset" run -h 127.0.0.1 -p "$PORT" --with-threads &
pid=$!
trap 'kill "$pid" 2>/dev/null || true; wait "$pid" 2>/dev/null || true' EXIT INT TERM

for _ in $(seq 1 120); do
  if curl -fs "http://127.0.0.1:$PORT/health" >/dev/null 2>&1; then break; fi
  if ! kill -0 "$pid" 2>/dev/null; then echo "Superset 启动失败" >&2; exit 1; fi
  sleep 0.5
done
curl -fs "http://127.0.0.1:$PORT/health" >/dev/null || { echo "Superset 未在 60 秒内就绪" >&2; exit 1; }

echo "Superset 已就绪：http://127.0.0.1:$PORT"
if [ "${1:-}" = "--print-credentials" ]; then
  echo "账号（用户名 密码，保存在 $SME_HOME/superset/credentials）："
  sed 's/^/  /' "$SME_HOME/superset/credentials"
fi
wait "$pid"
