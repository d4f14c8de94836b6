"""Every dbt unit test (scoring bands and their edges, gates, due dates, YTD → month, indices, alerts).

They run against a schema-only warehouse, not after a pipeline run: the raw schema from the project's own DDL
(warehouse.schema, through warehouse.db.connect_build), then one `dbt build --empty` that creates every seed and
model with no rows and runs each model's unit tests before the model (data tests excluded: they need rows). A unit
test reads only its fixtures; the warehouse only has to know the parents' columns. The compiled SQL of every unit
test is the same as under `dbt test --select test_type:unit` on a published warehouse (checked on 2026-11-30:
73 of 73 identical), so the assertion is the same as before, in ~1/3 of the time and without the shared sample.
"""

from __future__ import annotations

import json

import pytest
from sme_testing import empty_warehouse, run_dbt

pytestmark = pytest.mark.integration


def test_all_dbt_unit_tests_pass(tmp_path):
    home = empty_warehouse(tmp_path / "home")
    proc = run_dbt(home, "build", "--empty", "--exclude-resource-type", "test", target=tmp_path / "target")
    results = json.loads((tmp_path / "target" / "run_results.json").read_text())["results"]
    unit = [r for r in results if r["unique_id"].startswith("unit_test.")]
    failed = [r["unique_id"] for r in unit if r["status"] != "pass"]
    assert proc.returncode == 0 and not failed, proc.stdout[-4000:]
    assert len(unit) >= 40, "expected the scoring, due-date, derivation and alert unit tests"
