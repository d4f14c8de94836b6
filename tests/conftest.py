"""Fixtures shared by all tests (helpers live in sme_testing.py).

The test pyramid: tests/unit (pure, `make test-fast`), tests/integration (pipeline, dbt, Dagster, loader),
tests/superset (server + browser); each folder's conftest.py marks its tests. `published_sample` is the one
pipeline run on the shared small sample per session; the fault tests' golden home (tests/corpus/homes.py) is the
other, and says why it is a different data set.

`make test` (scripts/test.sh) runs two pytest sessions at once: the TIMING tests in one process at normal
priority, and all the others on two pytest-xdist workers (`-n 2 --dist loadgroup`) under `nice -n 19`. Each
pipeline home is built once per `make test`, not once per worker or session: the first that asks builds it in
the folder all share (sme_testing.shared_tmp: SME_TEST_SHARED), the others wait for it. Every worker then works
on its own copy of the published sample (tests write to it: backup/restore, reports) and on its own clones of the
golden home. Every module of tests/integration runs whole on one worker (its module fixtures are built once),
tests/superset too (one Superset server per session); unit tests are spread one by one. See xdist_group() for the
groups and GROUP_ORDER for the order they start in.
"""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest
from sme_testing import SMALL_SAMPLE, build_once, clone_home, run_pipeline, shared_tmp

# Tests whose assertions are about time or about processes racing each other (a kill at an observed phase, an
# exit within 15 s, readers during a publish, a second run refused at once): their own session runs them one after
# the other at normal priority (scripts/test.sh), so that they never compete for the cores with each other nor, at
# equal priority, with the other tests.
TIMING = {
    "integration/test_crash_safety.py",
    "integration/test_concurrency.py",
    "integration/test_clean_stop.py",
    "integration/test_serve_stop.py",
    "integration/test_deploy_units.py",  # each service gone within its unit's TimeoutStopSec
    "integration/test_run_monitoring.py",  # a daemon polling every 2 s marks a killed run FAILURE
}

# Integration modules whose tests share no costly module fixture: spread one by one like the unit tests (the corpus
# files through the loader; the access tests read the shared golden home).
SPREAD = {"integration/test_corpus.py", "integration/test_access.py"}


def xdist_group(nodeid: str) -> str:
    """The worker group of a test (nodeid as pytest prints it, from the rootdir): one group per module of
    tests/integration, the TIMING modules together, tests/superset together (one Superset server, one browser at
    a time), every unit test and every SPREAD test a group of its own."""
    path = nodeid.split("::", 1)[0].removeprefix("tests/")
    if path.startswith("unit/") or path in SPREAD:
        return nodeid
    if path in TIMING:
        return "timing"
    return "superset" if path.startswith("superset/") else path


# The costly groups, in the order they start (xdist hands out the groups in collection order): the costliest
# first, so that no long group starts last and runs alone at the end; the second one needs neither shared home,
# so that it runs while the first worker builds the published sample. Seconds on one worker (`make test`,
# 2026-12-01, junit times) in comments. Groups not named here follow, in collection order.
GROUP_ORDER = [
    "superset",  # 135 (builds the published sample, then starts Superset)
    "integration/test_upgrade.py",  # 55
    "integration/test_pipeline.py",  # 86
    "integration/test_env_faults.py",  # 61 (the golden home)
    "integration/test_incremental.py",  # 40
    "integration/test_rebuild.py",  # 30
    "integration/test_hand_cases.py",  # 26
    "integration/test_backup.py",  # 20
    "integration/test_dbt_unit_tests.py",  # 19
    "integration/test_report.py",  # 17
    "integration/test_report_dagster.py",  # 17
    "integration/test_sample.py",  # 10
]


def pytest_collection_modifyitems(config, items):
    """Mark the TIMING modules `timing` (scripts/test.sh runs them in a session of their own, at normal priority,
    beside the others: their limits, an exit within 15 s, a service gone within its TimeoutStopSec, are the
    product's, measured on a machine not also running another pipeline at the same priority; CI saw a 23 s exit
    under two equal workers). Then put the groups in GROUP_ORDER (a stable sort: the tests of a group keep
    their order)."""
    for item in items:
        if item.nodeid.split("::", 1)[0].removeprefix("tests/") in TIMING:
            item.add_marker(pytest.mark.timing)
    rank = {group: i for i, group in enumerate(GROUP_ORDER)}
    items.sort(key=lambda item: rank.get(xdist_group(item.nodeid), len(GROUP_ORDER)))


def pytest_collection_finish(session):
    """The imported modules and the collected tests live as long as the session: leave them out of the garbage
    collector's walks, as `sme-monitor run` does (≈ 4 % of a worker's own CPU)."""
    from warehouse.db import freeze_long_lived_objects

    freeze_long_lived_objects()


def pytest_xdist_make_scheduler(config, log):
    """`--dist loadgroup` with the groups of xdist_group(). Not xdist's own loadgroup: it renames each test's
    nodeid after its `xdist_group` marker (`item._nodeid`), which pytest 9 no longer reads (nodeid is derived
    from `item._id`), so every test would be scheduled alone. LoadScopeScheduling sends whole scopes to one
    worker; only how a nodeid maps to its scope changes."""
    if config.getvalue("dist") != "loadgroup":
        return None
    from xdist.scheduler import LoadScopeScheduling

    config.option.loadscopereorder = False  # hand out the groups in collection order (GROUP_ORDER), not by size

    class GroupScheduling(LoadScopeScheduling):
        def _split_scope(self, nodeid: str) -> str:
            return xdist_group(nodeid)

    return GroupScheduling(config, log)


def pytest_sessionstart(session):
    """Under xdist, parse the dbt project once in the controller before the workers start (else both workers'
    first pipeline runs would find the manifest stale at the same moment and wait on each other's parse).
    scripts/test.sh (SME_TEST_SHARED) parses it itself, beside the sessions' start."""
    if os.environ.get("SME_TEST_SHARED"):
        return
    if getattr(session.config.option, "numprocesses", None) and not os.environ.get("PYTEST_XDIST_WORKER"):
        from orchestration.lib.dbt_project import prepare_manifest

        prepare_manifest()


@pytest.fixture
def home(tmp_path: Path) -> Path:
    h = tmp_path / "sme_home"
    h.mkdir()
    return h


def _build_published_sample(base: Path) -> None:
    from sample import generate

    home = base / "home"
    shutil.rmtree(home, ignore_errors=True)
    generate(home / "inbox", **SMALL_SAMPLE)
    shutil.move(home / "inbox" / "_sample_expected.json", home / "expected.json")
    proc = run_pipeline(home)
    assert proc.returncode == 0, proc.stdout[-4000:] + proc.stderr[-4000:]
    (home / "run.log").write_text(proc.stdout)


@pytest.fixture(scope="session")
def published_sample(tmp_path_factory) -> Path:
    """The shared small sample, loaded and published by a real `sme-monitor run`, once per session (once per
    `make test`: scripts/test.sh's two sessions share it).

    Under xdist or a shared build (SME_TEST_SHARED), each worker gets its own exact copy (`cp -a`: hard links,
    modes and times kept) of the one built home; the dagster.yaml is rewritten for the copy, as every sme-monitor
    command would."""
    built = build_once(shared_tmp(tmp_path_factory) / "published_sample", _build_published_sample) / "home"
    if not os.environ.get("PYTEST_XDIST_WORKER") and not os.environ.get("SME_TEST_SHARED"):
        return built  # the session's own build: nobody else works on it
    from orchestration.lib.instance import ensure_dagster_yaml

    home = clone_home(built, tmp_path_factory.getbasetemp() / "published_sample" / "home", keep_links=True)
    ensure_dagster_yaml(home / "dagster")
    return home
