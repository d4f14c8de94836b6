"""What every table of the sample world shares: seeded random streams, the report window, the economy's calendar
(growth, seasons, the 2020 shock) and small numeric helpers.

Each table draws from its own numpy Generator seeded by (seed, stream, …): the stream numbers below are fixed
integers (Python's str hash is salted per process) and must not change, or every sample changes.
"""

from __future__ import annotations

import csv
import json
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pandas as pd

SEEDS_DIR = Path(__file__).resolve().parents[2] / "dbt_project" / "seeds"
DATA_DIR = Path(__file__).resolve().parents[1] / "data"

# Generator streams.
S_FIRMS, S_FY, S_PANEL, S_PROFILE, S_ARREARS, S_FIN, S_STYLE, S_DEFECT, S_NAMES = range(1, 10)

FY0 = 2017  # first year of the firm-year matrices
N_FY = 12


def read_data_csv(name: str) -> list[dict[str, str]]:
    """Rows of sample/data/<name> in file order (the order fixes the random draws: do not sort these files)."""
    with open(DATA_DIR / name, encoding="utf-8", newline="") as fh:
        return list(csv.DictReader(fh))


def read_data_json(name: str):
    return json.loads((DATA_DIR / name).read_text(encoding="utf-8"))


def read_seed(name: str) -> pd.DataFrame:
    """A dbt seed (reference table) as strings."""
    with open(SEEDS_DIR / name, encoding="utf-8") as fh:
        return pd.DataFrame(list(csv.DictReader(fh)))


_CALENDAR = read_data_json("calendar.json")
MACRO = {int(y): float(v) for y, v in _CALENDAR["macro"].items()}  # revenue level relative to 2021
SPRING_FESTIVAL = {int(y): str(v) for y, v in _CALENDAR["spring_festival"].items()}  # jan | feb | mid
_BASE_SEASON = np.array([1.0, 1.0, 1.03, 1.0, 1.0, 1.05, 0.97, 0.98, 1.03, 0.99, 1.04, 1.18])
_FESTIVAL = {"jan": (0.80, 0.86), "feb": (0.97, 0.66), "mid": (0.88, 0.76)}


def season(year: int) -> np.ndarray:
    s = _BASE_SEASON.copy()
    s[0], s[1] = _FESTIVAL[SPRING_FESTIVAL.get(year, "mid")]
    return s


def shock(year: int, month: int, wuhan: np.ndarray, sector: np.ndarray) -> np.ndarray:
    """Revenue factor of the 2020 epidemic shock (Wuhan deepest), and a mild 2022 Q2 dip."""
    f = np.ones(wuhan.shape[0])
    if year == 2020:
        w = {1: 0.88, 2: 0.07, 3: 0.20, 4: 0.60, 5: 0.83, 6: 0.92, 7: 0.96, 8: 0.98, 9: 0.99}.get(month, 1.0)
        o = {1: 0.95, 2: 0.36, 3: 0.68, 4: 0.88, 5: 0.95, 6: 0.98, 7: 0.99}.get(month, 1.0)
        f = np.where(wuhan, w, o)
        f = np.where(
            sector == 1, f**1.5, np.where(sector == 2, f**0.5, f)
        )  # consumer services deeper, pharma/IT milder
    elif year == 2022 and month in (4, 5):
        f = f * 0.96
    return f


def rng(seed: int, *stream: int) -> np.random.Generator:
    return np.random.default_rng(np.random.SeedSequence([seed, *stream]))


def loguniform(g: np.random.Generator, lo: np.ndarray, hi: np.ndarray) -> np.ndarray:
    return np.exp(g.uniform(np.log(lo), np.log(hi)))


def bitmask(mask_list: list[np.ndarray]) -> np.ndarray:
    out = np.zeros(mask_list[0].shape, dtype=np.int64)
    for i, m in enumerate(mask_list):
        out |= m.astype(np.int64) << i
    return out


def cents(x: np.ndarray) -> np.ndarray:
    return np.round(x * 100).astype(np.int64)


@dataclass
class Window:
    y0: int
    m0: int
    months: int

    @property
    def periods(self) -> list[tuple[int, int]]:
        out = []
        for k in range(self.months):
            t = self.y0 * 12 + self.m0 - 1 + k
            out.append((t // 12, t % 12 + 1))
        return out

    @property
    def years(self) -> list[int]:
        return sorted({y for y, _ in self.periods})

    @property
    def start_t(self) -> int:
        return self.y0 * 12 + self.m0 - 1

    @property
    def end_t(self) -> int:
        return self.start_t + self.months - 1
