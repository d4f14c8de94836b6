"""Industries of the sample firms (GB/T 4754-2017): 大类 weights, the classes each draws from, name words, niche
markets and products, clusters and chains, and the 300号 size thresholds per industry group.

Lookup tables live in sample/data/ (divisions.csv, niches.csv, clusters.csv, chains.csv, size_groups.json).
Manufacturing is ≈ 60 % of the weights (Hubei's industrial structure: autos, optics/electronics, chemicals,
building materials, food, pharma are large). Every class is a real GB/T 4754-2017 class
(dbt_project/seeds/ref_industry_classes.csv): the loader refuses a code that is not (industry_unknown). A division
without a list of its own draws from three generic codes `dd10 dd20 dd90`.
"""

from __future__ import annotations

import pandas as pd

from sample.world.common import read_data_csv, read_data_json, read_seed

_DIVISIONS = read_data_csv("divisions.csv")
DIVISION_WEIGHTS: dict[int, float] = {int(r["division"]): float(r["weight"]) for r in _DIVISIONS}
CLASSES: dict[int, str] = {int(r["division"]): r["classes"] for r in _DIVISIONS if r["classes"]}
NAME_WORDS: dict[int, str] = {int(r["division"]): r["name_word"] for r in _DIVISIONS if r["name_word"]}
NICHES: dict[int, list[tuple[str, str]]] = {}
for _r in read_data_csv("niches.csv"):
    NICHES.setdefault(int(_r["division"]), []).append((_r["niche"], _r["main_product"]))
CLUSTERS: dict[int, list[str]] = {}
for _r in read_data_csv("clusters.csv"):
    CLUSTERS.setdefault(int(_r["division"]), []).append(_r["cluster"])
CHAINS: dict[int, list[str]] = {}
for _r in read_data_csv("chains.csv"):
    CHAINS.setdefault(int(_r["division"]), []).append(_r["chain"])
del _r
# 300号 size thresholds per industry group: SME ceiling, medium floor, small floor (Y persons, R/Z 万元).
SIZE_GROUPS: dict[str, tuple[dict, dict, dict]] = {
    k: (v["sme_ceiling"], v["medium_floor"], v["small_floor"])
    for k, v in read_data_json("size_groups.json").items()
    if not k.startswith("_")
}


def size_group(div: int) -> str:
    if div <= 5:
        return "agri"
    if div <= 46:
        return "industry"
    if div <= 50:
        return "construction"
    return {
        51: "wholesale",
        52: "retail",
        59: "warehouse",
        61: "hospitality",
        62: "hospitality",
        63: "telecom",
        64: "telecom",
        65: "software",
        71: "leasing",
        72: "leasing",
    }.get(div, "transport" if 53 <= div <= 58 else "other")


def read_divisions() -> pd.DataFrame:
    df = read_seed("ref_industry_divisions.csv")
    df["div"] = df["division_code"].astype(int)
    return df
