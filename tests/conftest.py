"""Fixtures shared by all tests (helpers live in sme_testing.py).

The test pyramid: tests/unit (pure, `make test-fast`), tests/integration (pipeline, dbt, Dagster, loader),
tests/superset (server + browser); each folder's conftest.py marks its tests. `published_sample` is the one
pipeline run on the shared small sample per session; the fault tests' golden home (tests/corpus/homes.py) is the
other, and says why it is a different data set.
"""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from sme_testing import SMALL_SAMPLE, run_pipeline


@pytest.fixture
def home(tmp_path: Path) -> Path:
    h = tmp_path / "sme_home"
    h.mkdir()
    return h


@pytest.fixture(scope="session")
def published_sample(tmp_path_factory) -> Path:
    from sample import generate

    home = tmp_path_factory.mktemp("published_sample") / "home"
    generate(home / "inbox", **SMALL_SAMPLE)
    shutil.move(home / "inbox" / "_sample_expected.json", home / "expected.json")
    proc = run_pipeline(home)
    assert proc.returncode == 0, proc.stdout[-4000:] + proc.stderr[-4000:]
    (home / "run.log").write_text(proc.stdout)
    return home
