"""Every dbt unit test (scoring bands and their edges, gates, due dates, YTD → month, indices, alerts)."""

from __future__ import annotations

import json
import subprocess

import pytest
from sme_testing import BIN, ROOT, clone_home, sme_env

pytestmark = pytest.mark.integration


def test_all_dbt_unit_tests_pass(published_sample, tmp_path):
    home = clone_home(published_sample, tmp_path / "home")
    proc = subprocess.run(
        [str(BIN / "dbt"), "test", "--select", "test_type:unit", "--profiles-dir", ".", "--project-dir", ".",
         "--target-path", str(tmp_path / "target")],
        cwd=ROOT / "dbt_project", env=sme_env(home), capture_output=True, text=True, timeout=900,
    )
    results = json.loads((tmp_path / "target" / "run_results.json").read_text())["results"]
    failed = [r["unique_id"] for r in results if r["status"] != "pass"]
    assert proc.returncode == 0 and not failed, proc.stdout[-4000:]
    assert len(results) >= 40, "expected the scoring, due-date, derivation and alert unit tests"


def test_nightly_build_skips_unit_tests():
    from orchestration.assets.dbt import build_args

    assert build_args()[:1] == ["build"] and "unit_test" in build_args()
