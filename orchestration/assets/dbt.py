"""All dbt models, seeds and data tests in one `dbt build` per run.

dbt unit tests check the SQL, not the data: they run in `make test` (tests/test_dbt_unit_tests.py), not nightly.
"""


import dagster as dg
from dagster_dbt import DagsterDbtTranslator, DagsterDbtTranslatorSettings, DbtCliResource, dbt_assets

from orchestration.project import dbt_project

translator = DagsterDbtTranslator(settings=DagsterDbtTranslatorSettings(enable_asset_checks=True))


@dbt_assets(manifest=dbt_project.manifest_path, dagster_dbt_translator=translator, name="dbt_models")
def dbt_models(context: dg.AssetExecutionContext, dbt: DbtCliResource):
    yield from dbt.cli(build_args(), context=context).stream()


def build_args() -> list[str]:
    return ["build", "--exclude-resource-type", "unit_test"]
