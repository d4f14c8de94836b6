"""dbt keeps its parse state across homes (warehouse/dbt_home.py): a new home's first dbt command reads the state
the project saved, instead of parsing all 340 nodes again. dbt throws the state away when the profile's
connection settings differ from the ones it was saved with; with SME_HOME's paths in the profile they differed
for every home (each test home, `sme-monitor rebuild --into`, a second server)."""

from __future__ import annotations

import pytest
from sme_testing import ROOT, run_dbt

from orchestration.lib.dbt_project import prepare_manifest

pytestmark = pytest.mark.integration


def test_a_new_home_parses_with_the_projects_saved_state(tmp_path):
    prepare_manifest()  # the project's state, as `sme-monitor run` leaves it (parsed under another SME_HOME)
    assert (ROOT / "dbt_project" / "target" / "partial_parse.msgpack").is_file()
    home = tmp_path / "another_home"
    home.mkdir()
    # seeded with the saved state, as dagster-dbt does; dbt says why it cannot use a state at info level
    proc = run_dbt(home, "parse", "--log-level-file", "info", target=tmp_path / "target")
    assert proc.returncode == 0, proc.stdout[-3000:]
    log = (tmp_path / "target" / "dbt.log").read_text()
    assert "Unable to do partial parsing" not in log, [line for line in log.splitlines() if "Unable" in line]


def test_sme_dbt_is_dbts_command_line():
    """The pipeline runs dbt through `sme-dbt` (orchestration/lib/dbt_main.py: dbt's entry point after gc.freeze):
    the same command line, exit codes and messages as the `dbt` script."""
    import subprocess

    from orchestration.lib.dbt_project import bundled_dbt, dbt_executable

    assert dbt_executable().endswith("sme-dbt")
    for args in (["parse", "--no-such-option"], ["no-such-command"]):
        ours, theirs = (
            subprocess.run([exe, *args], cwd=ROOT / "dbt_project", capture_output=True, text=True, timeout=120)
            for exe in (dbt_executable(), str(bundled_dbt()))
        )
        assert ours.returncode == theirs.returncode == 2, (args, ours.stderr[-500:])
        assert ours.stderr.replace("sme-dbt", "dbt") == theirs.stderr
