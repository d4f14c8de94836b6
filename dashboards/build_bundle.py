"""Generate the Superset bundle (dashboards/bundle/**.yaml) and the boards' dbt exposures from dashboards/spec/.

The YAML tree is what gets imported and what is reviewed in git; this script is how it is written,
so that UUIDs, query contexts and dashboard layouts stay consistent. Run it after editing the spec:

    .venv/bin/python dashboards/build_bundle.py          # rewrite dashboards/bundle/ and the exposures
    .venv/bin/python dashboards/build_bundle.py --check  # exit 1 when either is out of date

The engine (model, viz helpers, writers) is dashboards/builder/; the boards are dashboards/spec/ (datasets, shared
labels, one module per board). UUIDs are pinned: uuid5 of a fixed namespace and the object's key, so renaming a title
keeps the UUID. The database URI holds the placeholder ``__SERVING_DUCKDB__``; provision.py fills in the real path.
Datasets are virtual (explicit column lists over ``marts.*``): no personal data can reach a board, and
every dataset with regional rows exposes ``region_code`` for the 市州 row-level security.
"""

from __future__ import annotations

import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
if str(ROOT) not in sys.path:  # run as a script: make `dashboards.*` importable
    sys.path.insert(0, str(ROOT))

from dashboards.builder import cli  # noqa: E402
from dashboards.builder.exposures import exposures_yaml  # noqa: E402
from dashboards.spec import BOARDS, BUNDLE, CHARTS, DATASETS  # noqa: E402, F401

BUNDLE_DIR = HERE / "bundle"
DBT_MODELS = ROOT / "dbt_project" / "models"
EXPOSURES = DBT_MODELS / "exposures" / "_boards__exposures.yml"
OWNER = "省经信厅"
BOARD_URL = "http://127.0.0.1:8088/superset/dashboard/{slug}/"  # the default address of dashboards/serve.sh


def render() -> dict[str, str]:
    """The bundle's files: path under dashboards/bundle/ -> YAML text."""
    return BUNDLE.render()


def generated_dbt_files() -> dict[Path, str]:
    return {EXPOSURES: exposures_yaml(BUNDLE, owner=OWNER, url=BOARD_URL, models_dir=DBT_MODELS)}


def main(argv: list[str] | None = None) -> int:
    return cli.main(BUNDLE, BUNDLE_DIR, generated_dbt_files(), argv, description=__doc__.splitlines()[0])


if __name__ == "__main__":
    sys.exit(main())
