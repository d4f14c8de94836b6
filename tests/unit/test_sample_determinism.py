"""The sample generator's determinism and its own arithmetic (moved from tests/integration/test_sample.py, which
validates a whole generated sample and so is slower)."""

from __future__ import annotations

import hashlib
from pathlib import Path

from sample import generate


def _digest(root: Path) -> dict[str, tuple[str, int]]:
    return {
        p.relative_to(root).as_posix(): (hashlib.sha256(p.read_bytes()).hexdigest(), p.stat().st_mtime_ns)
        for p in sorted(root.rglob("*"))
        if p.is_file()
    }


def test_same_seed_same_bytes_and_mtimes(tmp_path):
    a, b, c = tmp_path / "a", tmp_path / "b", tmp_path / "c"
    generate(a, seed=3, n_enterprises=40, months=14)
    generate(b, seed=3, n_enterprises=40, months=14)
    generate(c, seed=4, n_enterprises=40, months=14)
    da, db, dc = _digest(a), _digest(b), _digest(c)
    assert da == db
    assert da != dc


def test_ytd_is_the_running_sum_of_the_months():
    """In the generator's own output (before any defect removes a row): every 累计 column is the cumulative sum."""
    import numpy as np

    from sample.world import Window, World

    world = World(9, 200, Window(2020, 1, 24))
    idx = np.flatnonzero(world.firms["region"].to_numpy() == "420100")
    op = world.operating(idx, 2020, list(range(1, 13))).sort_values(["uscc", "period"], kind="stable")
    by = op.groupby("uscc")
    assert (by["revenue_month"].cumsum() == op["revenue_ytd"]).all()
    for col in ("main_revenue_ytd", "cost_ytd", "tax_ytd", "export_ytd", "rd_expense_ytd"):
        assert (by[col].diff().dropna() >= 0).all(), col
    assert (op["main_revenue_ytd"] <= op["revenue_ytd"]).all()
    assert (op["receivables_overdue"] <= op["receivables"]).all()
    # the 2020 shock: February revenue in Wuhan collapses against January
    month = op.groupby("period")["revenue_month"].sum()
    assert month.loc[202002] < 0.3 * month.loc[202001]
