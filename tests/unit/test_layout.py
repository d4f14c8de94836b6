"""Import rules of the layout (docs: README folder table): the load path and the generator stay free of Dagster, and
`ingest/` does not import the sample generator. Pure Python: reads the source with `ast`, imports nothing."""

from __future__ import annotations

import ast
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
# Dagster is the orchestration layer's business; `orchestration` is where it lives, so importing that would bring
# it in through the back door.
NO_DAGSTER = ("dagster", "dagster_dbt", "orchestration")
RULES: dict[str, tuple[str, ...]] = {
    "ingest": (*NO_DAGSTER, "sample", "bench"),
    "warehouse": NO_DAGSTER,
    "expectations": NO_DAGSTER,
    "sample": NO_DAGSTER,
    "reports": NO_DAGSTER,  # the monthly report is a plain library; orchestration/ calls it
}


def imported_modules(path: Path) -> list[tuple[int, str]]:
    """(line, absolute module name) of every import in the file, at any depth (also inside functions)."""
    tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
    package = path.relative_to(ROOT).with_suffix("").parts[:-1]
    out = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            out += [(node.lineno, a.name) for a in node.names]
        elif isinstance(node, ast.ImportFrom):
            if node.level:  # relative: resolve against the file's package
                base = ".".join(package[: len(package) - node.level + 1])
                name = f"{base}.{node.module}" if node.module else base
            else:
                name = node.module or ""
            out.append((node.lineno, name))
    return out


def _forbidden(name: str, banned: tuple[str, ...]) -> bool:
    return any(name == b or name.startswith(b + ".") for b in banned)


def violations(package: str, banned: tuple[str, ...]) -> list[str]:
    found = []
    for path in sorted((ROOT / package).rglob("*.py")):
        for line, name in imported_modules(path):
            if _forbidden(name, banned):
                found.append(f"{path.relative_to(ROOT)}:{line} imports {name}")
    return found


@pytest.mark.parametrize("package", sorted(RULES))
def test_package_imports_follow_the_layout(package):
    assert (ROOT / package / "__init__.py").exists(), package
    assert violations(package, RULES[package]) == []


def test_the_checker_sees_imports_at_any_depth(tmp_path, monkeypatch):
    """The rule can fail: an import inside a function, a dotted one and a relative one are all caught."""
    pkg = tmp_path / "ingest"
    pkg.mkdir()
    (pkg / "__init__.py").write_text("")
    (pkg / "bad.py").write_text(
        "import os\n"
        "def f():\n"
        "    import dagster as dg\n"
        "    from dagster_dbt import DbtCliResource\n"
        "    from sample.world import World\n"
        "from . import uscc\n"
        "from .contract import SOURCES\n"
    )
    monkeypatch.setattr(sys.modules[__name__], "ROOT", tmp_path)
    assert violations("ingest", RULES["ingest"]) == [
        "ingest/bad.py:3 imports dagster",
        "ingest/bad.py:4 imports dagster_dbt",
        "ingest/bad.py:5 imports sample.world",
    ]
    assert (6, "ingest") in imported_modules(pkg / "bad.py")
    assert (7, "ingest.contract") in imported_modules(pkg / "bad.py")
    assert not _forbidden("samplesize", ("sample",))  # a prefix of a name is not the package
