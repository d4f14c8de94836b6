"""The boards' spec (dashboards/spec/) and the dbt exposures generated from it. Pure: no pipeline, no server."""

from __future__ import annotations

import re
import sys
from collections import defaultdict
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parents[2]
BUNDLE = ROOT / "dashboards" / "bundle"
EXPOSURES = ROOT / "dbt_project" / "models" / "exposures"
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))


def _load(kind: str) -> list[dict]:
    return [yaml.safe_load(p.read_text(encoding="utf-8")) for p in sorted((BUNDLE / kind).rglob("*.yaml"))]


def _exposures() -> dict[str, dict]:
    out = {}
    for p in EXPOSURES.glob("*.yml"):
        for e in yaml.safe_load(p.read_text(encoding="utf-8"))["exposures"]:
            out[e["name"]] = e
    return out


def test_shared_labels_are_the_only_labels_of_their_columns():
    """A column named in labels.LABELS carries that label in every dataset, and each shared label is shared."""
    from dashboards.spec.labels import LABELS

    users = defaultdict(set)
    for d in _load("datasets"):
        for c in d["columns"]:
            if c["column_name"] in LABELS:
                assert c["verbose_name"] == LABELS[c["column_name"]], (d["table_name"], c["column_name"])
                users[c["column_name"]].add(d["table_name"])
    assert {n for n in LABELS if len(users[n]) < 2} == set(), "a label used by one dataset stays with it"


def test_one_dashboard_exposure_per_board_reading_the_marts_of_its_datasets():
    """depends_on, rederived from the committed bundle: the board's charts' and filters' dataset SQL."""
    datasets = {d["uuid"]: d for d in _load("datasets")}
    charts = {c["uuid"]: c for c in _load("charts")}
    exposures = _exposures()
    boards = _load("dashboards")
    dashboards = [e for e in exposures.values() if e["type"] == "dashboard"]
    assert sorted(e["label"] for e in dashboards) == sorted(b["dashboard_title"] for b in boards)
    for b in boards:
        (e,) = [e for e in exposures.values() if e["label"] == b["dashboard_title"]]
        assert e["type"] == "dashboard" and e["owner"]["name"] == "省经信厅"
        assert e["url"].endswith(f"/superset/dashboard/{b['slug']}/")
        ds_uuids = {charts[v["meta"]["uuid"]]["dataset_uuid"] for v in b["position"].values()
                    if isinstance(v, dict) and v.get("type") == "CHART"}  # fmt: skip
        ds_uuids |= {t["datasetUuid"] for f in b["metadata"]["native_filter_configuration"] for t in f["targets"] if t}
        marts = {t for u in ds_uuids for t in re.findall(r"\bmarts\.(\w+)", datasets[u]["sql"])}
        assert {re.fullmatch(r"ref\('(\w+)'\)", r).group(1) for r in e["depends_on"]} == marts, b["slug"]


def test_publish_exposure_declares_the_raw_tables_read_outside_dbt():
    sources = yaml.safe_load((ROOT / "dbt_project/models/staging/_raw__sources.yml").read_text(encoding="utf-8"))
    raw = {t["name"] for s in sources["sources"] if s["name"] == "raw" for t in s["tables"]}
    (publish,) = [e for e in _exposures().values() if e["type"] == "application"]
    read = {re.fullmatch(r"source\('raw', '(\w+)'\)", r).group(1) for r in publish["depends_on"]}
    assert read == {"load_manifest", "quarantine"} and read <= raw
