"""Stubs for `sqlfluff lint` with the jinja templater (make lint-sql): dbt's `var()` answers with the project's
vars from dbt_project.yml or the macro's default, so the tier and operating macros render real SQL. Not used by dbt."""

from pathlib import Path

import yaml

_VARS = (
    yaml.safe_load((Path(__file__).resolve().parents[1] / "dbt_project.yml").read_text(encoding="utf-8")) or {}
).get("vars") or {}


def var(name, default=None):
    return _VARS.get(name, default)
