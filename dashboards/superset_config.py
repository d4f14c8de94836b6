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


def _sqlite_wal() -> None:
    """The metadata database in WAL mode with synchronous=NORMAL: Superset writes its action log (and commits)
    on every chart request, and a rollback-journal commit costs several fsyncs on the request path (17 ms each
    here). WAL keeps the database consistent after a crash; only the last commits before a power loss can be lost."""
    try:
        import sqlite3

        from sqlalchemy import event
        from sqlalchemy.engine import Engine
    except ImportError:  # imported outside Superset's environment (tests of the secret files)
        return

    @event.listens_for(Engine, "connect")
    def _on_connect(dbapi_connection, _record):  # noqa: ANN001
        if isinstance(dbapi_connection, sqlite3.Connection):
            cur = dbapi_connection.cursor()
            cur.execute("PRAGMA journal_mode=WAL")
            cur.execute("PRAGMA synchronous=NORMAL")
            cur.close()


_sqlite_wal()
try:  # keep metadata connections open: closing the last one checkpoints the WAL (fsyncs), once per request
    from sqlalchemy.pool import QueuePool

    SQLALCHEMY_ENGINE_OPTIONS = {"poolclass": QueuePool, "pool_size": 5, "max_overflow": 10}
except ImportError:
    pass

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
# Memory of the one DuckDB instance this process keeps on the serving file (its block cache included).
DUCKDB_MEMORY_LIMIT = os.environ.get("SME_SUPERSET_DUCKDB_MEMORY", "2GB")


class _ServingDuckDB:
    """One DuckDB instance per serving-file generation and process; every SQLAlchemy connection is a cursor of it.

    Superset creates a new engine and connection for each query (NullPool), and opening the serving file
    costs a catalog load and a cold block cache each time (a 1 GB file at province scale). Here the file is
    opened once and each connection is a cheap cursor on it. A publish os.replace()s serving.duckdb: the file
    identity (device, inode, size, mtime) is checked on every connect and a changed file gets a new instance;
    queries still running finish on the old one, which closes when its last cursor does.

    The instance is an in-memory database that ATTACHes the serving file READ_ONLY (so DuckDB's per-path
    instance cache can never hand back the previous generation), detaches its own in-memory catalog, then
    turns external access off and locks the configuration — the same guarantees as the connect args above.
    """

    def __init__(self) -> None:
        import threading

        self._lock = threading.Lock()
        self._key: tuple | None = None
        self._db = None

    @staticmethod
    def _open(path: str):
        import duckdb

        con = duckdb.connect(":memory:", config={"memory_limit": DUCKDB_MEMORY_LIMIT, "threads": os.cpu_count() or 2})
        try:
            tmp = SUPERSET_HOME / "duckdb_tmp"
            tmp.mkdir(mode=0o700, exist_ok=True)
            con.execute("SET temp_directory = ?", [str(tmp)])
            con.execute(f"ATTACH '{path.replace(chr(39), chr(39) * 2)}' AS serving (READ_ONLY)")
            con.execute("USE serving")
            con.execute("DETACH memory")
            con.execute("SET enable_external_access = false")
            con.execute("SET lock_configuration = true")
        except BaseException:
            con.close()
            raise
        return con

    def connect(self, path: str):
        from duckdb_engine import ConnectionWrapper

        st = os.stat(path)
        key = (os.getpid(), st.st_dev, st.st_ino, st.st_size, st.st_mtime_ns)
        with self._lock:
            if key != self._key or self._db is None:
                # The old parent is dropped, not closed: closing it would close cursors still running queries.
                self._db, self._key = self._open(path), key
            return ConnectionWrapper(self._db.cursor())


_SERVING_DUCKDB = _ServingDuckDB()


def DB_CONNECTION_MUTATOR(uri, params, username, security_manager, source):  # noqa: N802
    """Force the safe DuckDB settings on every DuckDB connection Superset opens (a cursor of the shared
    read-only instance for a file database, see _ServingDuckDB; the safe connect args otherwise)."""
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
        if uri.database and uri.database != ":memory:":
            path = os.path.abspath(uri.database)
            params["creator"] = lambda: _SERVING_DUCKDB.connect(path)
    return uri, params
