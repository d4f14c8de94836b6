"""Every dbt unit test (scoring bands and their edges, gates, due dates, YTD → month, indices, alerts)."""

from __future__ import annotations

import json

import pytest
from sme_testing import clone_home, run_dbt

pytestmark = pytest.mark.integration


def test_all_dbt_unit_tests_pass(published_sample, tmp_path):
    home = clone_home(published_sample, tmp_path / "home")
    proc = run_dbt(home, "test", "--select", "test_type:unit", target=tmp_path / "target")
    results = json.loads((tmp_path / "target" / "run_results.json").read_text())["results"]
    failed = [r["unique_id"] for r in results if r["status"] != "pass"]
    assert proc.returncode == 0 and not failed, proc.stdout[-4000:]
    assert len(results) >= 40, "expected the scoring, due-date, derivation and alert unit tests"
