"""The 市州 of Hubei: reference rows (dbt seed ref_regions.csv), each one's share of monitored firms, and the
county-level codes (GB/T 2260) some firms report instead of their 市州 code (they roll up by prefix)."""

from __future__ import annotations

import pandas as pd

from sample.world.common import read_data_csv, read_seed

REGION_WEIGHTS: dict[str, float] = {r["region_code"]: float(r["weight"]) for r in read_data_csv("region_weights.csv")}
COUNTIES: dict[str, list[str]] = {}
for _r in read_data_csv("counties.csv"):
    COUNTIES.setdefault(_r["region_code"], []).append(_r["county_code"])
del _r


def read_regions() -> pd.DataFrame:
    return read_seed("ref_regions.csv")
