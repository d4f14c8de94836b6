"""The bundle as code: generated tree up to date, pinned and unique UUIDs, no machine paths, no personal data."""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parents[2]
BUNDLE = ROOT / "dashboards" / "bundle"
sys.path.insert(0, str(ROOT / "tests" / "superset"))  # client.py: the board titles
from client import BOARD_TITLES  # noqa: E402


def _load(kind: str) -> list[dict]:
    return [yaml.safe_load(p.read_text(encoding="utf-8")) for p in sorted((BUNDLE / kind).rglob("*.yaml"))]


def test_bundle_matches_its_spec():
    proc = subprocess.run(
        [sys.executable, str(ROOT / "dashboards" / "build_bundle.py"), "--check"], capture_output=True, text=True
    )
    assert proc.returncode == 0, proc.stdout + proc.stderr


def test_seven_boards_with_chinese_titles():
    titles = [d["dashboard_title"] for d in _load("dashboards")]
    assert sorted(titles) == sorted(BOARD_TITLES)
    assert all(d["published"] for d in _load("dashboards"))


def test_uuids_unique_and_references_resolve():
    dbs, datasets, charts, boards = _load("databases"), _load("datasets"), _load("charts"), _load("dashboards")
    uuids = [o["uuid"] for o in dbs + datasets + charts + boards]
    assert len(uuids) == len(set(uuids))
    ds_uuids = {d["uuid"] for d in datasets}
    assert all(c["dataset_uuid"] in ds_uuids for c in charts)
    assert all(d["database_uuid"] == dbs[0]["uuid"] for d in datasets)
    on_boards = {
        v["meta"]["uuid"]
        for b in boards
        for v in b["position"].values()
        if isinstance(v, dict) and v.get("type") == "CHART"
    }
    assert on_boards == {c["uuid"] for c in charts}, "every chart sits on a board, every board chart exists"
    for b in boards:
        for f in b["metadata"]["native_filter_configuration"]:
            for t in f["targets"]:
                assert t.get("datasetUuid", next(iter(ds_uuids))) in ds_uuids


def test_database_is_read_only_without_file_access():
    (database,) = _load("databases")
    assert database["database_name"] == "湖北中小企业监测"
    assert database["allow_dml"] is False and database["allow_csv_upload"] is False
    assert database["allow_ctas"] is False and database["allow_cvas"] is False
    args = database["extra"]["engine_params"]["connect_args"]
    assert args["read_only"] is True
    assert args["config"]["enable_external_access"] is False
    assert args["config"]["lock_configuration"] is True
    assert "__SERVING_DUCKDB__" in database["sqlalchemy_uri"]


def test_no_machine_paths_or_secrets_in_bundle():
    for p in BUNDLE.rglob("*.yaml"):
        text = p.read_text(encoding="utf-8")
        assert not re.search(r"/(work|tmp|home|root|Users)/", text), p
        assert "password" not in text.lower() or "masked" in text.lower(), p


def test_no_personal_data_in_datasets():
    banned = ("contact_name", "contact_phone", "联系人", "联系电话", "phone", "mobile", "id_card", "身份证")
    for d in _load("datasets"):
        blob = (d.get("sql") or "") + " ".join(c["column_name"] + (c.get("verbose_name") or "") for c in d["columns"])
        assert not any(b in blob.lower() for b in banned), d["table_name"]
        assert "select *" not in (d.get("sql") or "").lower().replace("\n", " "), "explicit column lists only"


def test_regional_datasets_expose_region_code():
    for d in _load("datasets"):
        cols = {c["column_name"] for c in d["columns"]}
        if d["table_name"] != "sme_plan_targets":
            assert {"region_code", "region_name"} <= cols, d["table_name"]


def test_datasets_read_only_columns_the_mart_contracts_define():
    """Every `alias.column` a dataset reads from marts.<model> is a column in that model's yml contract."""
    import glob

    sys.path.insert(0, str(ROOT / "dashboards"))
    import build_bundle

    contracts: dict[str, set[str]] = {}
    for f in glob.glob(str(ROOT / "dbt_project" / "models" / "marts" / "**" / "_*.yml"), recursive=True):
        for m in yaml.safe_load(Path(f).read_text(encoding="utf-8")).get("models", []):
            contracts[m["name"]] = {c["name"] for c in m.get("columns", [])}
    missing = []
    for d in build_bundle.DATASETS:
        aliases = {a: t for t, a in re.findall(r"marts\.(\w+) AS (\w+)", d.sql)}
        for alias, col in re.findall(r"\b(\w+)\.(\w+)\b", d.sql):
            table = aliases.get(alias)
            if table and table in contracts and col not in contracts[table]:
                missing.append(f"{d.key}: marts.{table}.{col}")
    assert not missing, "\n".join(missing)
