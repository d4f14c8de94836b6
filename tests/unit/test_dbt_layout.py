"""The dbt project stays readable (issue 13 item 4): no YAML file over 1,500 lines, unit tests out of the model
YAML, mart contracts set once for the folder, generic tests under tests/generic/. No pipeline run."""

import re
from pathlib import Path

import yaml

DBT = Path(__file__).resolve().parents[2] / "dbt_project"


def _yml_files():
    return [p for p in DBT.rglob("*.yml") if "target" not in p.relative_to(DBT).parts]


def test_no_dbt_yaml_over_1500_lines():
    long = {
        str(p.relative_to(DBT)): n
        for p in _yml_files()
        if (n := len(p.read_text(encoding="utf-8").splitlines())) > 1500
    }
    assert not long, long


def test_unit_tests_live_apart_from_the_model_yaml():
    models_yml = list((DBT / "models").rglob("_*__models.yml"))
    assert len(models_yml) >= 10
    mixed = [
        str(p.relative_to(DBT))
        for p in models_yml
        if "unit_tests" in (yaml.safe_load(p.read_text(encoding="utf-8")) or {})
    ]
    assert not mixed, mixed


def test_mart_contracts_are_set_once_for_the_folder():
    project = yaml.safe_load((DBT / "dbt_project.yml").read_text(encoding="utf-8"))
    assert project["models"]["sme_monitor"]["marts"]["+contract"] == {"enforced": True}
    per_model = [
        f"{p.relative_to(DBT)}:{m['name']}"
        for p in (DBT / "models" / "marts").rglob("*.yml")
        for m in (yaml.safe_load(p.read_text(encoding="utf-8")) or {}).get("models", [])
        if "contract" in (m.get("config") or {})
    ]
    assert not per_model, per_model


def test_generic_tests_live_under_tests_generic():
    in_macros = [
        str(p.relative_to(DBT))
        for p in (DBT / "macros").rglob("*.sql")
        if re.search(r"{%-?\s*test\s", p.read_text(encoding="utf-8"))
    ]
    assert not in_macros, in_macros
    assert {"unique_combination.sql", "expression_true.sql", "ops_between.sql"} <= {
        p.name for p in (DBT / "tests" / "generic").glob("*.sql")
    }
