"""报送情况 on the published sample (issue 10 §1): the identities of marts.reporting_coverage, marts.missing_reports
recomputed from the enterprise profiles and enterprise_months, the first arrival read from the manifest's received_at,
and `sme-monitor missing` writing the 催报 workbook (one 市州, and every 市州)."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import duckdb
import pytest
from sme_testing import sme

pytestmark = pytest.mark.integration


def _serving(home: Path) -> duckdb.DuckDBPyConnection:
    return duckdb.connect(str(home / "warehouse" / "serving.duckdb"), read_only=True)


# The expected firm-months recomputed from the published profiles: the firm's profile for the month's year or its
# latest earlier one; founded on or before the month's last day (or founding date unknown).
EXPECTED_SQL = """
WITH months AS (
    SELECT unnest(generate_series(min(period), max(period), INTERVAL 1 MONTH))::DATE AS month
    FROM marts.enterprise_months
),
applied AS (
    SELECT m.month, p.uscc, p.founded_on
    FROM months m JOIN marts.enterprise_profiles p ON p.profile_year <= year(m.month)
    QUALIFY row_number() OVER (PARTITION BY m.month, p.uscc ORDER BY p.profile_year DESC) = 1
)
SELECT month, uscc FROM applied WHERE founded_on IS NULL OR founded_on <= last_day(month)
"""


def test_coverage_identities(published_sample):
    con = _serving(published_sample)
    rows = con.execute(
        """SELECT month, region_code, section_code, size_class, expected_firms, reported_firms, on_time_firms,
                  late_firms, missing_firms, reporting_rate, on_time_rate, deadline
           FROM marts.reporting_coverage"""
    ).fetchall()
    assert rows
    keys = [r[:4] for r in rows]
    assert len(keys) == len(set(keys)), "grain: month × region × section × size"
    for month, _, _, size, exp, rep, on_time, late, miss, rate, on_time_rate, deadline in rows:
        assert size in {"large", "medium", "small", "micro", "unknown"}
        assert exp > 0 and exp == rep + miss and rep == on_time + late
        assert rate == pytest.approx(rep / exp) and on_time_rate == pytest.approx(on_time / exp)
        assert 0 <= on_time_rate <= rate <= 1
        nxt = dt.date(month.year + month.month // 12, month.month % 12 + 1, 1)
        assert deadline == nxt.replace(day=10)  # reporting_deadline_day default 10
    # months: from the first to the latest report period of the operating source, without a gap
    span = con.execute("SELECT min(period), max(period) FROM marts.enterprise_months").fetchone()
    months = sorted({r[0] for r in rows})
    assert (months[0], months[-1]) == span
    assert len(months) == (span[1].year - span[0].year) * 12 + span[1].month - span[0].month + 1


def test_expected_reported_and_missing_recomputed(published_sample):
    con = _serving(published_sample)
    expected = set(con.execute(EXPECTED_SQL).fetchall())
    reported = set(con.execute("SELECT period, uscc FROM marts.enterprise_months").fetchall())
    missing = set(con.execute("SELECT month, uscc FROM marts.missing_reports").fetchall())
    assert missing == expected - reported
    assert missing, "the sample has firms founded before they start reporting: some must be missing"
    per_month = dict(
        con.execute("SELECT month, sum(expected_firms)::BIGINT FROM marts.reporting_coverage GROUP BY month").fetchall()
    )
    for month, n in per_month.items():
        assert n == sum(1 for m, _ in expected if m == month), month
    reported_per_month = dict(
        con.execute("SELECT month, sum(reported_firms)::BIGINT FROM marts.reporting_coverage GROUP BY month").fetchall()
    )
    for month, n in reported_per_month.items():
        assert n == sum(1 for m, u in expected & reported if m == month), month
    missing_per_month = dict(
        con.execute("SELECT month, sum(missing_firms)::BIGINT FROM marts.reporting_coverage GROUP BY month").fetchall()
    )
    listed = dict(con.execute("SELECT month, count(*) FROM marts.missing_reports GROUP BY month").fetchall())
    assert missing_per_month == {m: listed.get(m, 0) for m in missing_per_month}
    # consecutive months: 1 when the previous month was reported (or not expected), else previous + 1
    runs = dict(
        ((m, u), k)
        for m, u, k in con.execute(
            "SELECT month, uscc, consecutive_missing_months FROM marts.missing_reports"
        ).fetchall()
    )
    for (month, uscc), k in runs.items():
        prev = dt.date(month.year - (month.month == 1), (month.month - 2) % 12 + 1, 1)
        assert k == runs.get((prev, uscc), 0) + 1, (month, uscc)
    # no contact data in the list
    cols = {r[0] for r in con.execute("DESCRIBE marts.missing_reports").fetchall()}
    assert not {c for c in cols if c.startswith("contact")}


def test_on_time_is_the_first_arrival_from_the_manifest(published_sample):
    """On time = the first valid version's file landed (received_at = its mtime in the inbox) by the deadline.
    The sample's files are all loaded in one run, long after their dates: with the load time as arrival nothing
    would be on time. Each 市州's operating file covers a year and lands on 10 January of the next year at
    09:00 + k hours (sample/sources.py): December reports of the early 市州 are on time, the rest late."""
    build = duckdb.connect(str(published_sample / "warehouse" / "build.duckdb"), read_only=True)
    manifest = build.execute(
        "SELECT count(*), count(received_at), count(*) FILTER (WHERE received_at < started_at - INTERVAL 1 DAY) "
        "FROM raw.load_manifest WHERE source = 'operating'"
    ).fetchone()
    assert manifest[0] == manifest[1] == manifest[2] > 0  # every file has its arrival, well before the load
    first = dict(
        ((p, u), a)
        for p, u, a in build.execute(
            """SELECT o.period, o.uscc, min(coalesce(l.received_at, l.started_at))
               FROM raw.operating o JOIN raw.load_manifest l USING (load_id) GROUP BY ALL"""
        ).fetchall()
    )
    build.close()
    con = _serving(published_sample)
    expected = set(con.execute(EXPECTED_SQL).fetchall())
    reported = set(con.execute("SELECT period, uscc FROM marts.enterprise_months").fetchall()) & expected
    on_time = {}
    for month, uscc in reported:
        deadline = dt.date(month.year + month.month // 12, month.month % 12 + 1, 10)
        on_time[month] = on_time.get(month, 0) + (first[(month, uscc)].date() <= deadline)
    mart = dict(
        con.execute("SELECT month, sum(on_time_firms)::BIGINT FROM marts.reporting_coverage GROUP BY month").fetchall()
    )
    assert {m: n for m, n in mart.items() if m in on_time} == on_time
    assert all(n == 0 for m, n in mart.items() if m.month != 12), "files cover a year: only December can be on time"
    assert all(mart[m] > 0 for m in mart if m.month == 12)


def _sheet_lines(ws) -> tuple[list[str], list[tuple]]:
    rows = list(ws.iter_rows(values_only=True))
    head = [r[0] for r in rows[:4]]
    i = next(k for k, r in enumerate(rows) if r[0] == "序号")
    return head, [r for r in rows[i + 1 :] if r[0] is not None and r[1] is not None]


def test_missing_cli_writes_the_list(published_sample, tmp_path):
    from openpyxl import load_workbook

    con = _serving(published_sample)
    month, region_code, region_name, n = con.execute(
        """SELECT month, region_code, region_name, count(*) AS n FROM marts.missing_reports
           GROUP BY ALL ORDER BY n DESC, month DESC, region_code LIMIT 1"""
    ).fetchone()
    published_at = con.execute("SELECT max(published_at) FROM audit.publication").fetchone()[0]
    deadline = con.execute("SELECT max(deadline) FROM marts.reporting_coverage WHERE month = ?", [month]).fetchone()[0]
    regions = dict(
        con.execute(
            "SELECT DISTINCT region_code, region_name FROM marts.reporting_coverage WHERE month = ? AND region_code IS NOT NULL",
            [month],
        ).fetchall()
    )
    listed = {
        code: {(u, name, k) for u, name, k in con.execute(
            "SELECT uscc, enterprise_name, consecutive_missing_months FROM marts.missing_reports WHERE month = ? AND region_code = ?",
            [month, code],
        ).fetchall()}
        for code in regions
    }  # fmt: skip
    con.close()
    label = f"{month.year}年{month.month}月"

    one = tmp_path / "one.xlsx"
    proc = sme(published_sample, "missing", "--month", f"{month:%Y-%m}", "--region", region_code, "--out", str(one))
    assert proc.returncode == 0, proc.stdout + proc.stderr
    wb = load_workbook(one)
    assert wb.sheetnames == [region_name]
    head, data = _sheet_lines(wb[region_name])
    assert "未报送企业名单（催报）" in head[0] and region_name in head[0] and label in head[0]
    assert f"报送截止日：{deadline:%Y-%m-%d}" in head[1]
    assert f"{published_at:%Y-%m-%d %H:%M}" in head[2]
    assert f"未报 {n} 家" in head[3]
    assert len(data) == n
    assert {(r[1], r[2], r[5]) for r in data} == listed[region_code]
    assert [r[0] for r in data] == list(range(1, n + 1))

    every = tmp_path / "all.xlsx"
    proc = sme(published_sample, "missing", "--month", f"{month:%Y-%m}", "--out", str(every))
    assert proc.returncode == 0, proc.stdout + proc.stderr
    wb = load_workbook(every)
    assert wb.sheetnames == [regions[c] for c in sorted(regions)]
    for code, name in regions.items():
        head, data = _sheet_lines(wb[name])
        assert name in head[0] and label in head[0]
        assert {(r[1], r[2], r[5]) for r in data} == listed[code], name

    bad = sme(published_sample, "missing", "--month", "1999-01", "--out", str(tmp_path / "x.xlsx"))
    assert bad.returncode == 2 and "不在报送情况数据范围内" in bad.stderr
    assert not (tmp_path / "x.xlsx").exists()
