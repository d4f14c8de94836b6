"""dbt state kept between nightly runs: build arguments, full-refresh fingerprint, parse state (moved from
tests/integration/test_dbt_unit_tests.py; pure, no dbt run)."""

from __future__ import annotations


def test_nightly_build_skips_unit_tests():
    from orchestration.lib.dbt_state import build_args

    assert build_args(False) == ["build", "--exclude-resource-type", "unit_test"]
    assert build_args(True) == ["build", "--exclude-resource-type", "unit_test", "--full-refresh"]


def test_full_refresh_when_the_project_changed(tmp_path):
    from orchestration.lib.dbt_state import needs_full_refresh, project_fingerprint, record_build

    proj = tmp_path / "proj"
    (proj / "models" / "marts").mkdir(parents=True)
    (proj / "dbt_project.yml").write_text("name: x\n")
    model = proj / "models" / "marts" / "m.sql"
    model.write_text("select 1 as a\n")
    (proj / "profiles.yml").write_text("threads: 2\n")
    stamp = tmp_path / "warehouse" / "dbt_build.fingerprint"
    first = project_fingerprint(proj)
    assert needs_full_refresh(stamp, first), "a warehouse never built must be rebuilt from scratch"
    record_build(stamp, first)
    assert not needs_full_refresh(stamp, first)
    (proj / "profiles.yml").write_text("threads: 4\n")  # connection settings do not change the rows
    assert project_fingerprint(proj) == first
    model.write_text("select 2 as a\n")
    assert needs_full_refresh(stamp, project_fingerprint(proj))
    model.write_text("select 1 as a\n")
    (proj / "models" / "marts" / "n.sql").write_text("select 1 as a\n")  # a new model
    assert needs_full_refresh(stamp, project_fingerprint(proj))


def test_parse_state_is_kept_and_old_run_folders_pruned(tmp_path):
    import os

    from orchestration.lib.dbt_state import keep_partial_parse, prune_invocation_targets

    target = tmp_path / "target"
    run = target / "dbt_models-abc"
    run.mkdir(parents=True)
    assert not keep_partial_parse(run, target)
    (run / "partial_parse.msgpack").write_bytes(b"state")
    assert keep_partial_parse(run, target) and (target / "partial_parse.msgpack").read_bytes() == b"state"
    for i in range(5):
        d = target / f"dbt_models-{i}"
        d.mkdir()
        os.utime(d, (1000 + i, 1000 + i))
    removed = prune_invocation_targets(target, keep=3)
    assert sorted(p.name for p in removed) == ["dbt_models-0", "dbt_models-1", "dbt_models-2"]
    assert (target / "dbt_models-abc").is_dir() and (target / "partial_parse.msgpack").exists()
