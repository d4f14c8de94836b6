"""The scale curve's arithmetic (bench/scale.py): the fit, the targets, the table — on hand-made results."""

from __future__ import annotations

import math

import pytest

from bench import scale


def _point(rows: int, full: float, inc: float, floor: float, rss: float = 1.0, p95: float | None = None) -> dict:
    p = {
        "rows": {"full": {"operating": rows, "enterprises": rows // 60}},
        "full": {"rc": 0, "wall_s": full, "peak_rss_gb": rss, "phases": {"dbt_build": full / 2}},
        "increment": {"rc": 0, "wall_s": inc, "peak_rss_gb": rss / 2, "phases": {"dbt_build": inc / 2}},
        "floor": {"rc": 0, "wall_s": floor, "peak_rss_gb": rss / 3},
        "serving_bytes": rows * 10,
    }
    if p95 is not None:
        p["boards"] = {"worst_p95_ms": p95, "median_p50_ms": p95 / 3}
    return p


def test_fit_is_one_for_wall_proportional_to_rows():
    xs = [1e5, 4e5, 8e5, 1.6e6]
    assert scale.fit_exponent(xs, [3.0 * x for x in xs]) == pytest.approx(1.0)


def test_fit_is_two_for_wall_proportional_to_rows_squared():
    xs = [1e5, 4e5, 8e5, 1.6e6]
    assert scale.fit_exponent(xs, [1e-9 * x * x for x in xs]) == pytest.approx(2.0)


def test_fit_is_least_squares_not_end_points():
    # log2 x = 0, 1, 2 and log2 y = 0, 2, 3: the least-squares slope is 1.5 (the first two points alone give 2.0,
    # the last two 1.0).
    xs = [1.0, 2.0, 4.0]
    ys = [1.0, 4.0, 8.0]
    assert scale.fit_exponent(xs, ys) == pytest.approx(1.5)


def test_fit_needs_two_distinct_points():
    assert scale.fit_exponent([], []) is None
    assert scale.fit_exponent([1e5], [10.0]) is None
    assert scale.fit_exponent([1e5, 1e5], [10.0, 12.0]) is None
    assert scale.fit_exponent([1e5, 0], [10.0, 12.0]) is None  # a zero cannot be on a log axis


def test_fits_leave_the_history_point_out():
    pts = {
        "x0.25": _point(900_000, 30, 10, 20),
        "province": _point(3_600_000, 120, 12, 80),
        "history10": _point(7_200_000, 10_000, 14, 160),  # would wreck a fit that included it
    }
    f = scale.fits(pts)
    assert f["full"]["points"] == ["x0.25", "province"]
    assert f["full"]["exponent"] == pytest.approx(1.0, abs=1e-3)
    assert f["increment"]["exponent"] == pytest.approx(math.log(12 / 10) / math.log(4), abs=1e-3)


def _by_key(targets: list[dict]) -> dict[str, dict]:
    return {t["key"]: t for t in targets}


def test_targets_on_a_curve_that_meets_them_all():
    pts = {
        "x0.25": _point(900_000, 30, 20, 25, rss=1.0),
        "province": _point(3_600_000, 120, 25, 100, rss=2.0),
        "x2": _point(7_200_000, 240, 30, 200, rss=2.5),
        "x4": _point(14_400_000, 480, 40, 400, rss=2.9, p95=450),
        "history10": _point(7_200_000, 240, 30, 200, rss=2.5),
    }
    t = _by_key(scale.evaluate_targets(pts))
    assert all(x["met"] is True for x in t.values()), t
    assert t["full_over_floor"]["value"] == pytest.approx(1.2)
    assert t["increment_large_over_base"]["value"] == pytest.approx(1.6)
    assert t["increment_history_over_base"]["value"] == pytest.approx(1.2)
    assert t["increment_base_s"]["value"] == 25
    assert t["peak_rss_gb"]["value"] == 2.9
    assert t["chart_p95_ms"]["value"] == 450


def test_targets_missed_where_the_curve_misses_them():
    pts = {
        "x0.25": _point(900_000, 30, 20, 25),
        "province": _point(3_600_000, 170, 47, 100, rss=3.4),  # 1.7 × floor, 47 s increment, 3.4 GB
        "x4": _point(14_400_000, 480 * 4, 200, 400, p95=900),  # superlinear full, increment 4.3 × 1×
    }
    t = _by_key(scale.evaluate_targets(pts))
    assert t["full_over_floor"]["met"] is False and t["full_over_floor"]["value"] == pytest.approx(4.8)
    assert t["full_exponent"]["met"] is False and t["full_exponent"]["value"] > 1.1
    assert t["increment_large_over_base"]["met"] is False
    assert t["increment_base_s"]["met"] is False
    assert t["peak_rss_gb"]["met"] is False and t["peak_rss_gb"]["value"] == 3.4
    assert t["chart_p95_ms"]["met"] is False
    # the 10-year point was not measured: open, not failed
    assert t["increment_history_over_base"]["met"] is None and t["increment_history_over_base"]["value"] is None


def test_missing_points_are_not_measured_not_a_crash():
    t = _by_key(scale.evaluate_targets({}))
    assert {x["met"] for x in t.values()} == {None}
    pts = {"province": _point(3_600_000, 120, 25, 100)}
    t = _by_key(scale.evaluate_targets(pts))
    assert t["increment_base_s"]["met"] is True
    assert t["full_exponent"]["met"] is None  # one point: no fit
    assert t["increment_large_over_base"]["met"] is None
    assert t["chart_p95_ms"]["met"] is None


def test_a_failed_run_counts_as_not_measured():
    p = _point(3_600_000, 120, 25, 100)
    p["increment"]["rc"] = 1
    t = _by_key(scale.evaluate_targets({"province": p}))
    assert t["increment_base_s"]["value"] is None and t["increment_base_s"]["met"] is None


def test_a_point_without_floor_leaves_every_point_open_unless_another_fails():
    ok, nofloor = _point(900_000, 30, 20, 25), _point(3_600_000, 120, 25, 100)
    nofloor["floor"]["rc"] = 1
    assert _by_key(scale.evaluate_targets({"x0.25": ok, "province": nofloor}))["full_over_floor"]["met"] is None
    bad = _point(900_000, 60, 20, 25)  # 2.4 × floor: missed whatever the other point shows
    assert _by_key(scale.evaluate_targets({"x0.25": bad, "province": nofloor}))["full_over_floor"]["met"] is False


def test_markdown_has_a_row_per_point_and_every_target():
    pts = {"province": _point(3_600_000, 120, 25, 100, p95=300), "x4": _point(14_400_000, 480, 40, 400)}
    pts["x4"]["increment"]["rc"] = 1
    res = {"points": pts, "order": ["x0.25", "province", "x4"], "machine": {"cpu_count": 2, "memory_gb": 24}}
    md = scale.markdown(res)
    assert "| province |" in md and "| x4 (failed: increment) |" in md
    assert "| x0.25 |" not in md  # never measured: no row
    assert "3,600,000" in md and "1.20" in md  # operating rows; full ÷ floor
    assert md.count("not measured") >= 3  # history, 4×/1× increment, 4× charts
    assert "| dbt_build | 60.0 / 12.5 |" in md
    for t in scale.evaluate_targets(pts):
        assert t["target"] in md


def test_plot_writes_a_png(tmp_path):
    pytest.importorskip("matplotlib")
    pts = {"x0.25": _point(900_000, 30, 20, 25), "province": _point(3_600_000, 120, 25, 100)}
    pts["history10"] = _point(7_200_000, 240, 30, 200)
    assert scale.plot({"points": pts}, tmp_path / "scale.png")
    assert (tmp_path / "scale.png").read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
    assert not scale.plot({"points": {}}, tmp_path / "empty.png")


def test_point_sizes_follow_the_sample_sizes():
    assert scale.point_months("province") == 60 and scale.point_firms("province") == 60000
    assert scale.point_months("history10") == 120 and scale.point_firms("history10") == 60000
    assert scale.point_firms("x4") == 4 * scale.point_firms("province")
    assert set(scale.DEFAULT_POINTS) <= set(scale.SAMPLE_SIZES)


def test_resume_keeps_only_points_whose_three_runs_finished():
    ok, no_floor, timed_out = _point(1, 3, 2, 2), _point(1, 3, 2, 2), _point(1, 3, 2, 2)
    no_floor.pop("floor")
    timed_out["increment"]["rc"] = -9
    kept = scale.points_to_keep({"x0.25": ok, "province": no_floor, "x2": timed_out})
    assert list(kept) == ["x0.25"]


def test_rss_target_is_the_pipelines_not_the_floors():
    """The floor runs DuckDB without the pipeline's limits; its memory is reported, not held to the target."""
    p = _point(3_600_000, 120, 25, 100, rss=2.0)
    p["floor"]["peak_rss_gb"] = 7.5
    assert scale.peak_rss(p) == 2.0
    assert scale.peak_rss(p, ("floor",)) == 7.5
    t = {x["key"]: x for x in scale.evaluate_targets({"province": p})}
    assert t["peak_rss_gb"]["met"] is True
