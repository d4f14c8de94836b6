"""The sample generator: deterministic, realistic enough, and every injected defect is what the validator finds."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

import duckdb
import pytest

from ingest import uscc
from ingest.contract import REASON_CODES, SOURCES, TEMPLATES
from ingest.loader import check_file, collect_errors
from sample import generate, generate_increment

SMALL = {"n_enterprises": 120, "months": 24}
TODAY = dt.date(2026, 11, 26)


@pytest.fixture(scope="module")
def sample(tmp_path_factory) -> tuple[Path, dict, dict]:
    out = tmp_path_factory.mktemp("sample") / "inbox"
    summary = generate(out, preset="demo", seed=7, **SMALL)
    expected = json.loads((out / "_sample_expected.json").read_text(encoding="utf-8"))
    return out, summary, expected


@pytest.fixture(scope="module")
def checked(sample, tmp_path_factory) -> dict[str, dict]:
    """Every file through the real validator (read + check, nothing written): results, errors, clean typed rows."""
    out, _, expected = sample
    work = tmp_path_factory.mktemp("work")
    results = {}
    for f in expected["files"]:
        con = duckdb.connect()
        res, _, template = check_file(con, out / f["file"], f["source"], work, today=TODAY)
        errors = collect_errors(con, template) if template else res.errors
        clean = None
        if template is not None:
            clean = con.execute(
                f"SELECT __line, {', '.join(template.names)} FROM __checked WHERE __skip IS NULL AND len(__errors) = 0"
            ).df()
        results[f["file"]] = {"result": res, "errors": errors, "clean": clean}
        con.close()
    return results


def test_every_reason_code_is_injected(sample):
    _, summary, expected = sample
    codes = {d["code"] for d in expected["defects"]}
    assert codes == set(REASON_CODES)
    assert set(summary["defects"]["by_code"]) == set(REASON_CODES)
    row_defects = [d for d in expected["defects"] if d["row"] is not None]
    total_rows = sum(f["rows_data"] for f in expected["files"])
    assert 0 < len(row_defects) < 0.02 * total_rows  # a fixed handful: ≈0.02 % of the full demo


def test_validator_finds_exactly_the_injected_defects(sample, checked):
    _, _, expected = sample
    wanted: dict[str, set] = {}
    for d in expected["defects"]:
        wanted.setdefault(d["file"], set()).add((d["row"], d["column"], d["code"]))
    for f in expected["files"]:
        got = checked[f["file"]]
        res = got["result"]
        if f["file_level_code"]:
            assert res.status == "rejected" and res.errors[0].code == f["file_level_code"], f["file"]
            continue
        found = {(e.row, e.column, e.code) for e in got["errors"]}
        assert found == wanted.get(f["file"], set()), f["file"]
        assert res.rows_read == f["rows_data"] + f["rows_skipped"], f["file"]
        assert res.rows_skipped == f["rows_skipped"], f["file"]
        assert res.rows_quarantined == f["defect_rows"], f["file"]


def test_each_defect_row_has_a_single_error(checked):
    for name, got in checked.items():
        per_row: dict[int, int] = {}
        for e in got["errors"]:
            if e.row is not None:
                per_row[e.row] = per_row.get(e.row, 0) + 1
        assert all(n == 1 for n in per_row.values()), (name, per_row)


def test_headers_come_from_the_contract(sample, checked):
    out, _, expected = sample
    for f in expected["files"]:
        res = checked[f["file"]]["result"]
        if f["file_level_code"]:
            continue
        assert res.unrecognised_columns in ([], ["序号"]), (f["file"], res.unrecognised_columns)
        template = TEMPLATES[f["source"]]
        required = {x.name for x in template.fields if x.required}
        clean = checked[f["file"]]["clean"]
        assert required <= set(clean.columns)


def test_clean_rows_have_valid_codes_and_17_regions(sample, checked):
    _, _, expected = sample
    regions = set()
    for f in expected["files"]:
        clean = checked[f["file"]]["clean"]
        if clean is None or clean.empty:
            continue
        for col in ("uscc", "creditor_uscc", "debtor_uscc"):
            if col in clean:
                assert all(uscc.is_valid(c) for c in clean[col].dropna()), (f["file"], col)
        if f["source"] == "enterprises":
            regions |= {c[:4] + "00" if not c.startswith("4290") else c for c in clean["division_code"]}
    assert len(regions) == 17


def test_ytd_monotone_within_a_year(sample, checked):
    _, _, expected = sample
    import pandas as pd

    frames = [
        checked[f["file"]]["clean"]
        for f in expected["files"]
        if f["source"] == "operating" and not f["file_level_code"] and f["corrects"] is None
    ]
    op = pd.concat([x for x in frames if x is not None and not x.empty])
    op = op.sort_values(["uscc", "period"]).reset_index(drop=True)
    op["year"] = pd.to_datetime(op["period"]).dt.year
    op["month"] = pd.to_datetime(op["period"]).dt.month
    for col in ("revenue_ytd", "main_revenue_ytd", "cost_ytd", "tax_ytd", "export_ytd", "rd_expense_ytd"):
        d = op.groupby(["uscc", "year"])[col].diff().dropna()
        assert (d >= -1e-6).all(), col
    jan = op[pd.to_datetime(op["period"]).dt.month == 1]
    assert ((jan["revenue_ytd"] - jan["revenue_month"]).abs() < 1e-6).all()


def test_corrections_are_newer_than_what_they_correct(sample):
    out, _, expected = sample
    corrections = [f for f in expected["files"] if f["corrects"]]
    assert len(corrections) >= 2
    for f in corrections:
        assert (out / f["file"]).stat().st_mtime > (out / f["corrects"]).stat().st_mtime


def test_every_source_and_format_variant_present(sample):
    out, summary, expected = sample
    assert all(summary["files"][s] > 0 and summary["rows"][s] > 0 for s in SOURCES)
    formats = {(f["format"], f["encoding"]) for f in expected["files"]}
    assert {"xlsx", "csv"} <= {f for f, _ in formats}
    assert {"utf-8", "utf-8-sig", "gbk"} <= {e for _, e in formats if e}
    assert not any(p.name.startswith("_") for s in SOURCES for p in (out / s).iterdir())


def test_increment_continues_the_same_firms(tmp_path):
    base, inc = tmp_path / "base", tmp_path / "inc"
    generate(base, preset="province", seed=5, n_enterprises=60, months=12)
    summary = generate_increment(inc, seed=5, n_enterprises=60, months=12)
    assert (
        summary["files"]["operating"] >= 1 and summary["files"]["arrears"] == 1 and summary["files"]["financing"] == 1
    )
    con = duckdb.connect()
    seen = {}
    for root in (base, inc):
        name = "_sample_expected.json" if root == base else "_sample_expected_increment.json"
        exp = json.loads((root / name).read_text(encoding="utf-8"))
        for f in exp["files"]:
            if f["source"] != "operating":
                continue
            res, _, template = check_file(con, root / f["file"], "operating", tmp_path / "w", today=TODAY)
            assert res.rows_quarantined == 0, f["file"]
            usccs = {r[0] for r in con.execute("SELECT DISTINCT uscc FROM __checked WHERE uscc IS NOT NULL").fetchall()}
            seen.setdefault(root, set()).update(usccs)
    assert len(seen[inc] & seen[base]) >= 0.9 * len(seen[base])
