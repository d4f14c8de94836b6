"""The synthetic Hubei SME population behind `sample`: firms, monthly reports, profiles, arrears, financing.

Everything here is vectorised numpy/pandas over firms (no Python loop over rows) and deterministic for a
seed: each table draws from its own numpy Generator seeded by (seed, stream, …), so one region-year of
operating reports, or the increment month, comes out the same whether it is generated alone or with the rest.

Money is kept as integer cents of 万元 (`…_c` columns) so that YTD sums are exact; the writer scales it.

One module per table (`enterprises`, `operating`, `arrears`, `financing`), shared lookups in `regions`,
`industries`, `names`, streams and calendar in `common`; the lookup tables themselves are files in sample/data/.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from sample.world import arrears as _arrears
from sample.world import enterprises as _enterprises
from sample.world import financing as _financing
from sample.world import operating as _operating
from sample.world.common import FY0, N_FY, S_DEFECT, S_STYLE, SEEDS_DIR, Window, rng
from sample.world.industries import read_divisions
from sample.world.regions import read_regions


class World:
    """The firm population and the generators of every table, for one seed."""

    def __init__(self, seed: int, n: int, window: Window, new_share: float = 0.15):
        self.seed, self.n, self.window, self.new_share = seed, n, window, new_share
        self.regions = read_regions()
        self.divisions = read_divisions()
        self.firms = _enterprises.make_firms(self)
        self._fy = _enterprises.firm_year_levels(self)
        self.annual_rev_c = np.zeros((n, N_FY), dtype=np.int64)  # filled as operating reports are generated
        self.annual_main_c = np.zeros((n, N_FY), dtype=np.int64)
        self.min_emp = np.full((n, N_FY), -1, dtype=np.int64)

    def level(self, year: int) -> np.ndarray:
        """Annual revenue level (万元) of every firm in `year`."""
        return self._fy[:, year - FY0]

    def operating(self, idx: np.ndarray, year: int, months: list[int]) -> pd.DataFrame:
        """Monthly reports of firms `idx` for `year`, rows for `months` (see `sample.world.operating`)."""
        return _operating.operating(self, idx, year, months)

    def profiles(self, year: int) -> pd.DataFrame:
        """企业基本信息及年度画像 for `year`: every firm founded by then."""
        return _enterprises.profiles(self, year)

    def arrears(self, ledger_dates: list[np.datetime64]) -> list[pd.DataFrame]:
        """The whole arrears ledger on each date."""
        return _arrears.arrears(self, ledger_dates)

    def financing(self, first_day: np.datetime64, last_day: np.datetime64) -> pd.DataFrame:
        """Financing applications with applied_on in [first_day, last_day]."""
        return _financing.financing(self, first_day, last_day)


__all__ = ["S_DEFECT", "S_STYLE", "SEEDS_DIR", "Window", "World", "rng"]
