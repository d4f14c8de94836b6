"""The CLI's light commands and the definitions module: what importing them does (and does not) load or run."""

from __future__ import annotations

import os
import subprocess
import sys
import textwrap
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
CORPUS = ROOT / "tests" / "corpus"


def _python(code: str, home: Path) -> subprocess.CompletedProcess:
    env = dict(os.environ, SME_HOME=str(home), DAGSTER_HOME=str(home / "dagster"), PYTHONPATH=str(ROOT))
    return subprocess.run(
        [sys.executable, "-c", textwrap.dedent(code)], env=env, cwd=ROOT, capture_output=True, text=True, timeout=120
    )


def test_light_commands_do_not_import_dagster(tmp_path):
    """validate, status, sql, missing, report and rollback never need Dagster, dagster-dbt or dbt: they must not pay
    for importing them."""
    sample = next(p for p in sorted(CORPUS.glob("*.csv")) if p.stat().st_size > 0)
    proc = _python(
        f"""
        import sys
        import orchestration.cli as cli
        assert "dagster" not in sys.modules
        codes = [cli.main(["validate", {str(sample)!r}]), cli.main(["validate", "--json", {str(sample)!r}])]
        codes += [cli.main(["status"]), cli.main(["sql", "SELECT 1"]), cli.main(["rollback"])]
        codes += [cli.main(["missing", "--month", "2025-12", "--out", "missing.xlsx"])]
        import orchestration.lib.missing_list  # imported by `missing`: must stay light too
        codes += [cli.main(["report", "--format", "html"])]
        heavy = sorted(m for m in sys.modules if m.split(".")[0] in ("dagster", "dagster_dbt", "dbt", "great_expectations"))
        print("CODES", codes)
        print("HEAVY", heavy[:10])
        assert not heavy, heavy
        """,
        tmp_path / "home",
    )
    assert proc.returncode == 0, proc.stdout[-3000:] + proc.stderr[-3000:]
    assert "HEAVY []" in proc.stdout
    # the commands really ran: validate read the file (0 or 1), status printed, sql, rollback and missing failed
    # cleanly (no serving copy yet)
    codes = eval(proc.stdout.split("CODES", 1)[1].splitlines()[0])
    assert codes[0] in (0, 1) and codes[1] in (0, 1) and codes[2] == 0 and codes[3] == 2 and codes[4] == 1, codes
    assert codes[5] == 2, codes  # missing: no published copy yet, a clean refusal
    assert codes[6] == 2, codes  # report: no published copy yet, a clean refusal
    assert "SME_HOME:" in proc.stdout


def test_importing_the_definitions_prepares_nothing(tmp_path):
    """No dbt parse and no fingerprint walk at import: Dagster calls the `defs` load function when it loads the location."""
    proc = _python(
        """
        import orchestration.lib.dbt_project as project
        calls = []

        def walked(*a, **k):
            calls.append(a)
            raise AssertionError("the dbt project was walked at import")

        project.project_fingerprints = walked
        project.dagster_dbt_project.cache_clear()
        import orchestration.defs.definitions as d
        assert not calls, calls
        assert project.dagster_dbt_project.cache_info().currsize == 0  # not even dagster-dbt's DbtProject yet
        assert type(d.defs).__name__ == "LazyDefinitions", type(d.defs)
        print("OK")
        """,
        tmp_path / "home",
    )
    assert proc.returncode == 0 and "OK" in proc.stdout, proc.stdout[-3000:] + proc.stderr[-3000:]
