"""One walk of the dbt project, two scopes: the manifest fingerprint ("re-parse?") and the rows one ("full refresh?")."""

from __future__ import annotations

import hashlib
import os
from pathlib import Path

from orchestration.lib.dbt_project import (
    PROJECT_INPUTS,
    manifest_is_stale,
    project_fingerprints,
    record_manifest,
)
from orchestration.lib.dbt_state import project_fingerprint


def _project(tmp_path: Path) -> Path:
    proj = tmp_path / "proj"
    for d in ("models/marts", "macros", "seeds", "tests"):
        (proj / d).mkdir(parents=True)
    (proj / "dbt_project.yml").write_text("name: x\n")
    (proj / "profiles.yml").write_text("threads: 2\n")
    (proj / "models" / "marts" / "m.sql").write_text("select 1 as a\n")
    (proj / "macros" / "f.sql").write_text("{% macro f() %}1{% endmacro %}\n")
    (proj / "seeds" / "s.csv").write_text("a\n1\n")
    (proj / "tests" / "t.sql").write_text("select 1 where false\n")
    return proj


def test_tests_and_profiles_change_the_manifest_but_not_the_rows(tmp_path):
    proj = _project(tmp_path)
    first = project_fingerprints(proj)
    assert first.rows != first.manifest
    assert project_fingerprint(proj) == first.rows
    for rel, text in (("tests/t.sql", "select 2 where false\n"), ("profiles.yml", "threads: 4\n")):
        before = project_fingerprints(proj)
        (proj / rel).write_text(text)
        after = project_fingerprints(proj)
        assert after.rows == before.rows, rel
        assert after.manifest != before.manifest, rel
    for rel in ("models/marts/m.sql", "macros/f.sql", "seeds/s.csv", "dbt_project.yml", "models/marts/new.sql"):
        before = project_fingerprints(proj)
        (proj / rel).write_text((proj / rel).read_text() + "-- edited\n" if (proj / rel).exists() else "select 3\n")
        after = project_fingerprints(proj)
        assert after.rows != before.rows and after.manifest != before.manifest, rel
    # target/ (dbt's own output) counts for neither
    before = project_fingerprints(proj)
    (proj / "target").mkdir()
    (proj / "target" / "manifest.json").write_text("{}")
    assert project_fingerprints(proj) == before


def test_rows_fingerprint_is_the_one_older_builds_recorded(tmp_path):
    """Same bytes as the fingerprint before the shared walk: an upgrade does not force a needless full refresh."""
    proj = _project(tmp_path)
    (proj / "packages.yml").write_text("packages: []\n")
    h = hashlib.sha256()
    files = [proj / f for f in ("dbt_project.yml", "packages.yml")]
    for sub in ("models", "macros", "seeds", "snapshots"):
        files += [p for p in (proj / sub).rglob("*") if p.is_file()]
    for p in sorted(files, key=lambda p: p.relative_to(proj).as_posix()):
        h.update(p.relative_to(proj).as_posix().encode() + b"\0" + p.read_bytes() + b"\0")
    assert project_fingerprints(proj).rows == h.hexdigest()
    assert {name for name, rows in PROJECT_INPUTS if not rows} == {"tests", "profiles.yml"}


def test_manifest_is_stale_until_recorded_and_after_any_change(tmp_path):
    proj = _project(tmp_path)
    fp = project_fingerprints(proj).manifest
    assert manifest_is_stale(proj, fp), "no manifest yet"
    (proj / "target").mkdir()
    manifest = proj / "target" / "manifest.json"
    manifest.write_text('{"nodes": {}}')
    assert manifest_is_stale(proj, fp), "a manifest nobody recorded"
    record_manifest(proj, fp)
    assert not manifest_is_stale(proj, fp)
    (proj / "tests" / "t.sql").write_text("select 9 where false\n")  # a data test: re-parse, no full refresh
    assert manifest_is_stale(proj, project_fingerprints(proj).manifest)
    # a manifest rewritten by something else (dbt run by hand) is not trusted, even with the same project files
    manifest.write_text('{"nodes": {"x": 1}}')
    os.utime(manifest, ns=(manifest.stat().st_mtime_ns + 10**9,) * 2)
    assert manifest_is_stale(proj, fp)
    record_manifest(proj, fp)
    manifest.unlink()
    assert manifest_is_stale(proj, fp), "a recorded manifest that was deleted"


def test_processes_that_find_the_manifest_stale_at_once_parse_it_once(tmp_path, monkeypatch):
    """prepare_manifest's lock covers the parse and the stamp: the second caller waits, then finds it current
    (a second parse would rewrite manifest.json, not atomically, under the readers of the first)."""
    import threading
    import time
    from types import SimpleNamespace

    from orchestration.lib import dbt_project

    proj = _project(tmp_path)
    parses = []

    def parse(project):
        parses.append(threading.get_ident())
        time.sleep(0.5)  # long enough for the other caller to arrive while this one parses
        (proj / "target").mkdir(exist_ok=True)
        (proj / "target" / "manifest.json").write_text('{"nodes": {}}')

    monkeypatch.setattr(dbt_project, "DBT_PROJECT_DIR", proj)
    monkeypatch.setattr(
        dbt_project, "dagster_dbt_project", lambda: SimpleNamespace(preparer=SimpleNamespace(prepare=parse))
    )
    results = []
    callers = [threading.Thread(target=lambda: results.append(dbt_project.prepare_manifest())) for _ in range(2)]
    for t in callers:
        t.start()
        time.sleep(0.1)
    for t in callers:
        t.join()
    assert len(parses) == 1
    assert sorted(results) == [False, True]
    assert not manifest_is_stale(proj, project_fingerprints(proj).manifest)
