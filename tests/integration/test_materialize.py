"""Single assets of the code location materialized in-process (dg.materialize) on a temporary DuckDB home (the
`home` fixture of tests/conftest.py): the Dagster glue of one step at a time, in seconds, without the dbt manifest
or a whole pipeline run."""

from __future__ import annotations

import json
import shutil
from pathlib import Path
from types import SimpleNamespace

import dagster as dg

from orchestration.defs.checks import gx_checks
from orchestration.defs.resources import WarehouseResource

CORPUS = Path(__file__).resolve().parents[1] / "corpus"
VALID = "ent_valid_forms.csv"  # every row valid (tests/corpus/expected.json)


def _ingest(source: str) -> dg.AssetsDefinition:
    from orchestration.defs.assets.ingest import ingest_assets

    return next(a for a in ingest_assets if a.key == dg.AssetKey(["raw", source]))


def _check(source: str) -> dg.AssetChecksDefinition:
    return next(c for c in gx_checks if any(k.name == f"gx_{source}_new_rows" for k in c.check_keys))


def _load_valid_file(home: Path) -> dg.ExecuteInProcessResult:
    (home / "inbox" / "enterprises").mkdir(parents=True, exist_ok=True)
    shutil.copy2(CORPUS / VALID, home / "inbox" / "enterprises" / VALID)
    return dg.materialize(
        [_ingest("enterprises"), _check("enterprises")],
        resources={"warehouse": WarehouseResource(home=str(home))},
        raise_on_error=False,
    )


def test_ingest_asset_loads_a_file_and_its_gx_check_passes(home):
    expected = json.loads((CORPUS / "expected.json").read_text(encoding="utf-8"))["files"][VALID]
    assert expected["rows_quarantined"] == 0 and expected["rows_loaded"] > 0
    result = _load_valid_file(home)
    assert result.success
    meta = result.asset_materializations_for_node(_ingest("enterprises").op.name)[0].metadata
    assert meta["files"].value == 1
    assert meta["rows_loaded"].value == expected["rows_loaded"] == meta["raw_rows_total"].value
    (evaluation,) = result.get_asset_check_evaluations()
    assert evaluation.passed, evaluation.metadata
    assert evaluation.metadata["rows_checked"].value == expected["rows_loaded"]
    assert (home / "archive").is_dir() and not any((home / "inbox" / "enterprises").iterdir())


def test_gx_check_fails_on_a_row_written_around_the_loader(home):
    """The check is the second line: a row the validator never saw (division outside Hubei) fails it, and only
    on that expectation."""
    import duckdb

    assert _load_valid_file(home).success
    con = duckdb.connect(str(home / "warehouse" / "build.duckdb"))
    con.execute(
        "INSERT INTO raw.enterprises (load_id, source_file, source_row, uscc, name, division_code, profile_year) "
        "SELECT load_id, source_file, 999, uscc, name, '110101', profile_year + 100 FROM raw.enterprises LIMIT 1"
    )
    con.close()
    result = dg.materialize(
        [_ingest("enterprises"), _check("enterprises")],
        resources={"warehouse": WarehouseResource(home=str(home))},
        raise_on_error=False,
    )
    (evaluation,) = result.get_asset_check_evaluations()
    assert not evaluation.passed
    failed = [k for k, v in evaluation.metadata.items() if str(v.value).startswith("失败")]
    assert failed == ["expect_column_values_to_match_regex(division_code)"], evaluation.metadata


def test_serving_asset_publishes_the_marts_file(home):
    """The publish asset alone (its dbt upstreams are not part of the selection): the marts file becomes the
    read-only serving copy and the publication is recorded."""
    from orchestration.defs.assets.publish import build_serving_asset
    from warehouse.db import connect_build, connect_marts, connect_serving
    from warehouse.paths import Paths

    paths = Paths(home).ensure()
    connect_build(paths).close()
    con = connect_marts(paths)
    con.execute("CREATE SCHEMA marts")
    con.execute("CREATE TABLE marts.answer AS SELECT 42 AS value")
    con.close()
    serving = build_serving_asset(SimpleNamespace(keys=[]))
    result = dg.materialize([serving], resources={"warehouse": WarehouseResource(home=str(home))})
    assert result.success
    meta = result.asset_materializations_for_node(serving.op.name)[0].metadata
    assert meta["serving"].value == str(paths.serving_db)
    assert (paths.warehouse / "published" / meta["copy"].value).exists()
    con = connect_serving(paths)
    try:
        assert con.execute("SELECT value FROM marts.answer").fetchone()[0] == 42
        assert con.execute("SELECT count(*) FROM audit.publication").fetchone()[0] == 1
    finally:
        con.close()
    con = connect_build(paths)
    try:  # the next run's checks start after what this publish covered
        assert con.execute("SELECT count(*), max(path) FROM raw.publications").fetchone() == (
            1,
            str(paths.warehouse / "published" / meta["copy"].value),
        )
    finally:
        con.close()
