"""Superset configuration for the Hubei SME monitoring boards.

Loaded by Superset through ``SUPERSET_CONFIG_PATH`` (``dashboards/serve.sh`` and
``dashboards/provision.py`` set it). Everything stateful lives under ``$SME_HOME/superset``:
the SQLite metadata database, the generated ``secret_key`` (mode 600) and the uploads folder.
No passwords or keys are in this file or anywhere in git.
"""

from __future__ import annotations

import os
import secrets
from pathlib import Path

_ROOT = Path(__file__).resolve().parent.parent
SME_HOME = Path(os.environ.get("SME_HOME", _ROOT / "var")).resolve()
SUPERSET_HOME = SME_HOME / "superset"
SUPERSET_HOME.mkdir(parents=True, exist_ok=True)
os.chmod(SUPERSET_HOME, 0o700)
DATA_DIR = str(SUPERSET_HOME)


def _secret_key() -> str:
    """Read $SME_HOME/superset/secret_key; create it (mode 600) on first start."""
    path = SUPERSET_HOME / "secret_key"
    if not path.exists():
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        with os.fdopen(fd, "w") as fh:
            fh.write(secrets.token_urlsafe(48))
    os.chmod(path, 0o600)
    return path.read_text().strip()


SECRET_KEY = _secret_key()
SQLALCHEMY_DATABASE_URI = f"sqlite:///{SUPERSET_HOME / 'superset.db'}?check_same_thread=false"
UPLOAD_FOLDER = str(SUPERSET_HOME / "uploads") + "/"
IMG_UPLOAD_FOLDER = UPLOAD_FOLDER

# --- Language and look --------------------------------------------------------------------
BABEL_DEFAULT_LOCALE = "zh"
LANGUAGES = {"zh": {"flag": "cn", "name": "简体中文"}, "en": {"flag": "us", "name": "English"}}
APP_NAME = "湖北省中小企业运行监测"
D3_FORMAT = {"decimal": ".", "thousands": ",", "grouping": [3], "currency": ["¥", ""]}

# --- Features -----------------------------------------------------------------------------
# Native filters and row-level security are always on in Superset 6; RLS_IN_SQLLAB also applies
# the 市州 filters to SQL Lab (the 市州 roles have no SQL Lab, this is defence in depth).
FEATURE_FLAGS = {
    "RLS_IN_SQLLAB": True,
    "DASHBOARD_RBAC": False,
    "ENABLE_TEMPLATE_PROCESSING": False,
    "ALLOW_ADHOC_SUBQUERY": False,
    "ALERT_REPORTS": False,
    "THUMBNAILS": False,
    "EMBEDDED_SUPERSET": False,
    # Render every chart of a board at once (boards are small; screenshots and checks see all of it).
    "DASHBOARD_VIRTUALIZATION": False,
}

# --- Safety -------------------------------------------------------------------------------
PREVENT_UNSAFE_DB_CONNECTIONS = True
SQLLAB_CTAS_NO_LIMIT = False
SQL_MAX_ROW = 100000
WTF_CSRF_ENABLED = True
TALISMAN_ENABLED = False  # served on 127.0.0.1 only; behind a TLS proxy turn it on
SESSION_COOKIE_SAMESITE = "Lax"
SESSION_COOKIE_HTTPONLY = True
PUBLIC_ROLE_LIKE = None
AUTH_USER_REGISTRATION = False
CONTENT_SECURITY_POLICY_WARNING = False
# Superset must not phone home or fetch remote assets during tests.
SCHEDULED_QUERIES: dict = {}
PREFERRED_DATABASES: list[str] = ["DuckDB"]

# Simple in-process caches (no Redis on this machine). Results are cached for 10 minutes; a
# publish replaces serving.duckdb and the next uncached query reads the new file.
CACHE_CONFIG = {"CACHE_TYPE": "SimpleCache", "CACHE_DEFAULT_TIMEOUT": 600, "CACHE_KEY_PREFIX": "sme_"}
DATA_CACHE_CONFIG = {"CACHE_TYPE": "SimpleCache", "CACHE_DEFAULT_TIMEOUT": 600, "CACHE_KEY_PREFIX": "sme_data_"}
FILTER_STATE_CACHE_CONFIG = {"CACHE_TYPE": "SimpleCache", "CACHE_DEFAULT_TIMEOUT": 86400}
EXPLORE_FORM_DATA_CACHE_CONFIG = {"CACHE_TYPE": "SimpleCache", "CACHE_DEFAULT_TIMEOUT": 86400}
GLOBAL_ASYNC_QUERIES_CACHE_BACKEND = {"CACHE_TYPE": "SimpleCache"}
RATELIMIT_STORAGE_URI = "memory://"

# DuckDB settings every connection gets, whatever the database record says: read-only, no file
# system / network / extension access, and the configuration locked so SQL cannot undo it.
DUCKDB_SAFE_CONNECT_ARGS = {
    "read_only": True,
    "config": {"enable_external_access": False, "lock_configuration": True},
}


def DB_CONNECTION_MUTATOR(uri, params, username, security_manager, source):  # noqa: N802
    """Force the safe DuckDB settings on every DuckDB connection Superset opens."""
    if uri.drivername.startswith("duckdb"):
        connect_args = dict(params.get("connect_args") or {})
        config = dict(connect_args.get("config") or {})
        config.update(DUCKDB_SAFE_CONNECT_ARGS["config"])
        connect_args["config"] = config
        connect_args["read_only"] = True
        params["connect_args"] = connect_args
        query = dict(uri.query)
        query.pop("access_mode", None)
        uri = uri.set(query=query)
    return uri, params
