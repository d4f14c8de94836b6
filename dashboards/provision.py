"""Provision Superset for the Hubei SME monitoring boards — idempotent, run on every start.

    SME_HOME=/path .venv-superset/bin/python dashboards/provision.py [--print-credentials]

1. metadata database upgrade (SQLite under $SME_HOME/superset/) and `superset init` (first start or
   after a Superset upgrade);
2. zips dashboards/bundle/ (the serving DuckDB path filled in) to $SME_HOME/superset/bundle.zip and
   imports it with overwrite, then points every chart's saved query context at its imported dataset;
3. roles: 领导 (boards, no SQL Lab), 分析员 (boards + SQL Lab on the monitoring database, read-only),
   one 市州 role per region (dbt_project/seeds/ref_regions.csv) with a row-level-security filter
   ``region_code = '<code>'`` on every dataset that has a region column;
4. users: admin (SUPERSET_ADMIN_PASSWORD or generated) and one demo user per role, passwords generated
   once and kept in $SME_HOME/superset/credentials (mode 600, ``<username> <password>`` per line).
"""

from __future__ import annotations

import argparse
import csv
import io
import os
import secrets
import sys
import time
import zipfile
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
BUNDLE = HERE / "bundle"
SME_HOME = Path(os.environ.get("SME_HOME", ROOT / "var")).resolve()
os.environ["SME_HOME"] = str(SME_HOME)
os.environ.setdefault("SUPERSET_CONFIG_PATH", str(HERE / "superset_config.py"))
os.environ.setdefault("SUPERSET_LOAD_EXAMPLES", "no")
SUPERSET_HOME = SME_HOME / "superset"
CREDENTIALS = SUPERSET_HOME / "credentials"
SERVING = SME_HOME / "warehouse" / "serving.duckdb"
PLACEHOLDER = "__SERVING_DUCKDB__"
DB_NAME = "湖北中小企业监测"

ROLE_LEADER = "领导"
ROLE_ANALYST = "分析员"
REGIONAL_PREFIX = "市州·"
# Datasets without regional rows (province-wide plan targets): no RLS filter, visible to every role.
NO_REGION_DATASETS = {"sme_plan_targets"}


def log(msg: str) -> None:
    print(f"[provision] {msg}", flush=True)


def regions() -> list[tuple[str, str]]:
    with open(ROOT / "dbt_project" / "seeds" / "ref_regions.csv", encoding="utf-8") as fh:
        return [(r["region_code"], r["region_name"]) for r in csv.DictReader(fh)]


# ---------------------------------------------------------------------------------------------
# Credentials
# ---------------------------------------------------------------------------------------------
def read_credentials() -> dict[str, str]:
    creds: dict[str, str] = {}
    if CREDENTIALS.exists():
        for line in CREDENTIALS.read_text(encoding="utf-8").splitlines():
            parts = line.split()
            if len(parts) == 2:
                creds[parts[0]] = parts[1]
    return creds


def write_credentials(creds: dict[str, str]) -> None:
    tmp = CREDENTIALS.with_suffix(".tmp")
    fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(fd, "w", encoding="utf-8") as fh:
        for user, pw in creds.items():
            fh.write(f"{user} {pw}\n")
    os.chmod(tmp, 0o600)
    os.replace(tmp, CREDENTIALS)


def new_password() -> str:
    return secrets.token_urlsafe(12).replace("-", "x").replace("_", "y")


# ---------------------------------------------------------------------------------------------
# Bundle
# ---------------------------------------------------------------------------------------------
def build_zip(serving: Path) -> Path:
    """Zip dashboards/bundle/ with the serving path filled in (root folder inside the zip: bundle/)."""
    out = SUPERSET_HOME / "bundle.zip"
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as zf:
        for p in sorted(BUNDLE.rglob("*.yaml")):
            text = p.read_text(encoding="utf-8").replace(PLACEHOLDER, str(serving))
            zf.writestr(f"bundle/{p.relative_to(BUNDLE).as_posix()}", text)
    out.write_bytes(buf.getvalue())
    return out


def as_type(contents: dict[str, str], model: str) -> dict[str, str]:
    """The bundle's files with metadata.yaml saying `model` (what each v1 import command validates)."""
    import yaml

    meta = yaml.safe_load(contents["metadata.yaml"])
    return {**contents, "metadata.yaml": yaml.safe_dump({**meta, "type": model})}


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description="Provision Superset (idempotent)")
    ap.add_argument("--print-credentials", action="store_true")
    ap.add_argument("--force-init", action="store_true", help="run `superset init` even when already done")
    args = ap.parse_args(argv)
    t0 = time.monotonic()
    SUPERSET_HOME.mkdir(parents=True, exist_ok=True)
    os.chmod(SUPERSET_HOME, 0o700)

    from importlib.metadata import version

    from flask import g
    from flask_migrate import upgrade
    from superset.app import create_app

    superset_version = version("apache-superset")

    app = create_app()
    with app.app_context():
        from superset import db, security_manager
        from superset.extensions import appbuilder

        upgrade()
        marker = SUPERSET_HOME / ".initialised"
        if args.force_init or not marker.exists() or marker.read_text().strip() != superset_version:
            log("superset init (roles and permissions)")
            appbuilder.add_permissions(update_perms=True)
            security_manager.sync_role_definitions()
            db.session.commit()
            marker.write_text(superset_version)
        log(f"metadata ready ({time.monotonic() - t0:.1f} s)")

        creds = read_credentials()
        admin_pw = os.environ.get("SUPERSET_ADMIN_PASSWORD") or creds.get("admin") or new_password()
        creds["admin"] = admin_pw
        admin = ensure_user("admin", "管理员", [security_manager.find_role("Admin")], admin_pw)
        db.session.commit()

        # Import the bundle as admin, overwriting what is there.
        from superset.commands.dashboard.importers.dispatcher import ImportDashboardsCommand
        from superset.commands.importers.v1.utils import get_contents_from_bundle

        g.user = admin
        zpath = build_zip(SERVING)
        with zipfile.ZipFile(zpath) as zf:
            contents = get_contents_from_bundle(zf)
        # A dashboard import overwrites only the dashboards (its database, datasets and charts are imported
        # with overwrite=False), so a changed dataset SQL or chart, or a serving path under another SME_HOME,
        # would never reach an existing install: import those on their own first, overwriting.
        from superset.commands.chart.importers.v1 import ImportChartsCommand
        from superset.commands.database.importers.v1 import ImportDatabasesCommand
        from superset.commands.dataset.importers.v1 import ImportDatasetsCommand

        ImportDatabasesCommand(as_type(contents, "Database"), overwrite=True).run()
        ImportDatasetsCommand(as_type(contents, "SqlaTable"), overwrite=True).run()
        ImportChartsCommand(as_type(contents, "Slice"), overwrite=True).run()
        ImportDashboardsCommand(contents, overwrite=True).run()
        db.session.commit()
        fix_after_import()
        db.session.commit()
        log(f"bundle imported ({time.monotonic() - t0:.1f} s)")

        datasets = bundle_datasets()
        database = monitoring_database()
        gamma = perms_of("Gamma")
        sql_lab = perms_of("sql_lab")
        ds_access = [pv("datasource_access", d.perm) for d in datasets]
        db_access = [pv("database_access", database.perm)]

        set_role(ROLE_LEADER, gamma + ds_access)
        set_role(ROLE_ANALYST, gamma + sql_lab + db_access + ds_access)
        regional_roles = []
        for code, name in regions():
            role = set_role(f"{REGIONAL_PREFIX}{name}", gamma + ds_access)
            regional_roles.append((code, name, role))
        db.session.commit()
        set_rls(regional_roles, [d for d in datasets if d.table_name not in NO_REGION_DATASETS])
        db.session.commit()

        users = [("leader", "领导", ROLE_LEADER), ("analyst", "分析员", ROLE_ANALYST)]
        users += [(f"city_{code}", name, f"{REGIONAL_PREFIX}{name}") for code, name, _ in regional_roles]
        for username, first, role_name in users:
            pw = creds.get(username) or new_password()
            creds[username] = pw
            ensure_user(username, first, [security_manager.find_role(role_name)], pw)
        db.session.commit()
        write_credentials(creds)
        log(
            f"roles, RLS and {len(users) + 1} users ready; credentials in {CREDENTIALS} ({time.monotonic() - t0:.1f} s)"
        )
    if args.print_credentials:
        print(CREDENTIALS.read_text(encoding="utf-8"), end="")
    return 0


# ---------------------------------------------------------------------------------------------
# Helpers (run inside the app context)
# ---------------------------------------------------------------------------------------------
def ensure_user(username: str, first_name: str, roles: list, password: str):
    from superset import db, security_manager
    from werkzeug.security import check_password_hash, generate_password_hash

    user = security_manager.find_user(username=username)
    if user is None:
        user = security_manager.add_user(
            username, first_name, "用户", f"{username}@sme.invalid", roles, password=password
        )
        if not user:
            raise RuntimeError(f"could not create user {username}")
    else:
        user.roles = roles
        user.active = True
        if not check_password_hash(user.password, password):
            user.password = generate_password_hash(password)
        db.session.merge(user)
    return user


def perms_of(role_name: str) -> list:
    from superset import security_manager

    role = security_manager.find_role(role_name)
    return list(role.permissions) if role else []


def pv(permission: str, view_menu: str):
    from superset import security_manager

    found = security_manager.find_permission_view_menu(permission, view_menu)
    if found is None:
        security_manager.add_permission_view_menu(permission, view_menu)
        found = security_manager.find_permission_view_menu(permission, view_menu)
    return found


def set_role(name: str, permissions: list):
    from superset import db, security_manager

    role = security_manager.find_role(name) or security_manager.add_role(name)
    unique = {p.id: p for p in permissions if p is not None}
    role.permissions = list(unique.values())
    db.session.merge(role)
    return role


def bundle_uuids(kind: str) -> set[str]:
    import yaml

    return {str(yaml.safe_load(p.read_text(encoding="utf-8"))["uuid"]) for p in (BUNDLE / kind).rglob("*.yaml")}


def bundle_datasets() -> list:
    from superset import db
    from superset.connectors.sqla.models import SqlaTable

    uuids = bundle_uuids("datasets")
    return [d for d in db.session.query(SqlaTable).all() if str(d.uuid) in uuids]


def monitoring_database():
    from superset import db
    from superset.models.core import Database

    return db.session.query(Database).filter_by(database_name=DB_NAME).one()


def set_rls(regional_roles: list, datasets: list) -> None:
    from superset import db
    from superset.connectors.sqla.models import RowLevelSecurityFilter
    from superset.utils.core import RowLevelSecurityFilterType

    for code, name, role in regional_roles:
        fname = f"市州行级权限 {code} {name}"
        f = db.session.query(RowLevelSecurityFilter).filter_by(name=fname).one_or_none()
        if f is None:
            f = RowLevelSecurityFilter(name=fname)
            db.session.add(f)
        f.filter_type = RowLevelSecurityFilterType.REGULAR
        f.clause = f"region_code = '{code}'"
        f.group_key = "region"
        f.description = f"{name}用户只能看到本市州（region_code = {code}）的数据"
        f.roles = [role]
        f.tables = list(datasets)


def fix_after_import() -> None:
    """Import keeps the query context's datasource id from the bundle and leaves native filters'
    chartsInScope with the bundle's chart ids: point both at the imported objects."""
    from superset import db
    from superset.models.dashboard import Dashboard
    from superset.models.slice import Slice
    from superset.utils import json

    chart_uuids = bundle_uuids("charts")
    for s in db.session.query(Slice).all():
        if str(s.uuid) not in chart_uuids:
            continue
        params = json.loads(s.params or "{}")
        params["datasource"] = f"{s.datasource_id}__table"
        params["slice_id"] = s.id
        s.params = json.dumps(params)
        if s.query_context:
            qc = json.loads(s.query_context)
            qc["datasource"] = {"id": s.datasource_id, "type": "table"}
            qc["form_data"] = params
            s.query_context = json.dumps(qc)

    dash_uuids = bundle_uuids("dashboards")
    for d in db.session.query(Dashboard).all():
        if str(d.uuid) not in dash_uuids:
            continue
        position = json.loads(d.position_json or "{}")
        ids = [c["meta"]["chartId"] for c in position.values() if isinstance(c, dict) and c.get("type") == "CHART"]
        meta = json.loads(d.json_metadata or "{}")
        for f in meta.get("native_filter_configuration", []):
            excluded = set(f.get("scope", {}).get("excluded", []))
            f["chartsInScope"] = [i for i in ids if i not in excluded]
        gcc = meta.get("global_chart_configuration")
        if gcc:
            gcc["chartsInScope"] = ids
        d.json_metadata = json.dumps(meta)


if __name__ == "__main__":
    sys.exit(main())
