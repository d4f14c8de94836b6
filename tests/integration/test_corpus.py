"""The bad-input corpus (tests/corpus/): every file checked exactly against expected.json.

Each file goes through `sme-monitor validate --json` (exit codes 0/1/2) and through the real loader into a
temporary build database: rows read = loaded + quarantined + skipped, the manifest row, the raw rows, the
quarantine records and the receipt, which must list every quarantined row and hold only plain strings.
The 200 MB csv is generated at test time and loaded in a subprocess whose peak memory is measured.
"""

from __future__ import annotations

import contextlib
import io
import json
import math
import shutil
import subprocess
import sys
import time
from collections import Counter
from pathlib import Path

import pytest
from sme_testing import ROOT, sme, sme_env

from ingest.contract import REASON_CODES

CORPUS = ROOT / "tests" / "corpus"
EXPECTED = json.loads((CORPUS / "expected.json").read_text(encoding="utf-8"))
FILES = EXPECTED["files"]
NAMES = sorted(FILES)


# ----------------------------------------------------------------------------- the corpus itself
def test_corpus_covers_the_issue():
    assert len(FILES) >= 40
    for name in NAMES:
        assert (CORPUS / name).is_file(), name
    size = sum(p.stat().st_size for p in CORPUS.rglob("*") if p.is_file())
    assert size < 2 * 1024 * 1024, f"corpus folder is {size} bytes"
    codes = {e[2] for f in FILES.values() for e in f["errors"]} | {f["file_code"] for f in FILES.values()}
    assert set(REASON_CODES) <= codes, f"codes never exercised: {set(REASON_CODES) - codes}"
    encodings = {f.get("encoding") for f in FILES.values()}
    assert {"gb18030", "utf-8-sig", "utf-8"} <= encodings
    assert {s for f in FILES.values() for s in f["skipped"]} == {"blank", "note", "total"}
    assert {f["validate_exit"] for f in FILES.values()} == {0, 1, 2}


def test_generator_is_current(tmp_path):
    """make_corpus.py regenerates exactly the committed expectations and text files."""
    from corpus.make_corpus import generate

    payload = generate(tmp_path)
    assert payload == EXPECTED, "expected.json is stale: run python tests/corpus/make_corpus.py"
    for name in NAMES:
        if not name.endswith(".xlsx"):
            assert (tmp_path / name).read_bytes() == (CORPUS / name).read_bytes(), name


# ----------------------------------------------------------------------------- validate --json
def _validate_in_process(path: Path, source: str) -> tuple[int, dict]:
    from orchestration.cli import main

    out = io.StringIO()
    with contextlib.redirect_stdout(out):
        code = main(["validate", str(path), "--source", source, "--json"])
    return code, json.loads(out.getvalue())


def _check_validate_payload(name: str, exp: dict, code: int, payload: dict) -> None:
    assert code == exp["validate_exit"], (name, payload)
    assert payload["source"] == exp["source"]
    assert (payload["rows"], payload["valid"], payload["invalid"], payload["skipped"]) == (
        exp["rows_read"],
        exp["rows_loaded"],
        exp["rows_quarantined"],
        exp["rows_skipped"],
    ), name
    if not exp["file_code"]:  # the same skipped rows by kind, and the same sheet, as the loader (test_loader)
        assert payload["skipped_detail"] == exp["skipped"], name
    if "sheet" in exp:
        assert (payload["sheet"], payload["sheets_passed"]) == (exp["sheet"], exp["sheets_passed"]), name
    if exp["file_code"]:
        assert [(e["row"], e["code"]) for e in payload["errors"]] == [(None, exp["file_code"])], name
        assert payload["errors"][0]["message"]
    else:
        got = sorted([e["row"], e["column"], e["code"]] for e in payload["errors"])
        assert got == exp["errors"], name
        assert all(e["message"] for e in payload["errors"])


@pytest.mark.parametrize("name", NAMES)
def test_validate_json(name):
    exp = FILES[name]
    code, payload = _validate_in_process(CORPUS / name, exp["source"])
    _check_validate_payload(name, exp, code, payload)


@pytest.mark.parametrize("name", ["op_rules.csv", "truncated.xlsx", "op_header_only.csv", "empty.csv"])
def test_validate_cli_subprocess(name, tmp_path):
    """The installed command, as a reporting unit would run it: one file per exit code, and nothing written."""
    exp = FILES[name]
    proc = sme(tmp_path / "home", "validate", str(CORPUS / name), "--source", exp["source"], "--json", timeout=120)
    _check_validate_payload(name, exp, proc.returncode, json.loads(proc.stdout))
    assert not (tmp_path / "home").exists() or not list((tmp_path / "home").rglob("*.duckdb"))


def test_validate_guesses_the_source_from_the_folder_or_headers(tmp_path):
    d = tmp_path / "financing"
    d.mkdir()
    shutil.copy(CORPUS / "fin_rules.csv", d / "x.csv")
    proc = sme(tmp_path / "home", "validate", str(d / "x.csv"), "--json", timeout=120)
    assert json.loads(proc.stdout)["source"] == "financing"
    shutil.copy(CORPUS / "arr_rules.csv", tmp_path / "y.csv")
    proc = sme(tmp_path / "home", "validate", str(tmp_path / "y.csv"), "--json", timeout=120)
    assert json.loads(proc.stdout)["source"] == "arrears"
    assert proc.returncode == 1


# ----------------------------------------------------------------------------- the real loader
def _norm(v):
    if hasattr(v, "isoformat"):
        return v.isoformat()[:10]
    if isinstance(v, list):
        return sorted(v)
    return v


def _same(got, want) -> bool:
    if isinstance(want, float) and isinstance(got, float):
        return math.isclose(got, want, rel_tol=1e-9, abs_tol=1e-9)
    if isinstance(want, list):
        return sorted(want) == got
    return got == want


def load_one(tmp_path: Path, name: str):
    """Load one corpus file into a fresh build database through Loader.load_file, as a run does."""
    from ingest.loader import Loader
    from warehouse.db import connect_build
    from warehouse.paths import Paths

    exp = FILES[name]
    paths = Paths(tmp_path / "home").ensure()
    inbox = paths.inbox_for(exp["source"])
    src = inbox / name
    shutil.copy(CORPUS / name, src)
    con = connect_build(paths)
    loader = Loader(con, paths.archive, paths.receipts, paths.warehouse / "work", run_id="corpus")
    result = loader.load_file(src, exp["source"])
    return paths, con, result


@pytest.mark.parametrize("name", NAMES)
def test_loader(name, tmp_path):
    import openpyxl

    exp = FILES[name]
    source = exp["source"]
    paths, con, r = load_one(tmp_path, name)
    try:
        # the FileResult
        assert (r.rows_read, r.rows_loaded, r.rows_quarantined, r.rows_skipped) == (
            exp["rows_read"],
            exp["rows_loaded"],
            exp["rows_quarantined"],
            exp["rows_skipped"],
        ), name
        assert r.rows_read == r.rows_loaded + r.rows_quarantined + r.rows_skipped
        assert r.status == exp["status"]
        assert r.skipped == exp["skipped"]
        if "header_row" in exp and exp.get("header_row") is not None:
            assert r.header_row == exp["header_row"]
        if "encoding" in exp:
            assert r.encoding == exp["encoding"]
        if "unrecognised" in exp:
            assert r.unrecognised_columns == exp["unrecognised"]
        if "sheet" in exp:
            assert (r.sheet, r.sheets_passed) == (exp["sheet"], exp["sheets_passed"]), name

        # the manifest: one row, counts equal to what is in the raw and quarantine tables
        m = con.execute(
            "SELECT load_id, file_name, status, rows_read, rows_loaded, rows_quarantined, rows_skipped, sha256, size_bytes "
            "FROM raw.load_manifest"
        ).fetchall()
        assert len(m) == 1
        load_id, file_name, status, read, loaded, quarantined, skipped, sha, size = m[0]
        assert (file_name, status, read, loaded, quarantined, skipped) == (
            name,
            exp["status"],
            exp["rows_read"],
            exp["rows_loaded"],
            exp["rows_quarantined"],
            exp["rows_skipped"],
        )
        assert size == (CORPUS / name).stat().st_size and len(sha) == 64
        assert con.execute(f"SELECT count(*) FROM raw.{source} WHERE load_id = ?", [load_id]).fetchone()[0] == loaded
        q = con.execute(
            "SELECT source_row, column_name, code, message FROM raw.quarantine WHERE load_id = ? ORDER BY 1, 2, 3",
            [load_id],
        ).fetchall()
        if exp["file_code"]:
            assert [(row, code) for row, _, code, _ in q] == [(None, exp["file_code"])]
        else:
            assert sorted([row, col, code] for row, col, code, _ in q) == exp["errors"]
            assert len({row for row, *_ in q}) == quarantined
        assert all(msg for *_, msg in q)

        # values as loaded
        for row, column, want in exp["values"]:
            got = con.execute(
                f"SELECT {column} FROM raw.{source} WHERE load_id = ? AND source_row = ?", [load_id, row]
            ).fetchall()
            assert len(got) == 1, (name, row)
            assert _same(_norm(got[0][0]), want), (name, row, column, got[0][0], want)
    finally:
        con.close()

    # the file left the inbox for the archive, unchanged
    assert not (paths.inbox_for(source) / name).exists()
    archived = paths.archive / source / f"{load_id:06d}__{name}"
    assert archived.read_bytes() == (CORPUS / name).read_bytes()

    # the receipt lists every quarantined row, as plain strings (never a live formula)
    receipt = Path(r.receipt)
    assert receipt.is_file() and receipt.parent == paths.receipts / source
    wb = openpyxl.load_workbook(receipt)
    assert wb.sheetnames == ["汇总", "问题明细"]
    for ws in wb.worksheets:
        for row in ws.iter_rows():
            for cell in row:
                assert cell.data_type != "f", (name, ws.title, cell.coordinate, cell.value)
    summary = {row[0].value: row[1].value for row in wb["汇总"].iter_rows()}
    assert summary["文件名"] == name
    if "sheet" in exp:  # the data sheet and every sheet passed over (hidden, 填报说明 …) are named
        assert summary["数据所在工作表"] == exp["sheet"]
        assert summary["跳过的工作表"].split("；") == exp["sheets_passed"]
    assert summary["数据行数"] == str(exp["rows_read"]) and summary["已加载行数"] == str(exp["rows_loaded"])
    assert summary["隔离（未加载）行数"] == str(exp["rows_quarantined"])
    detail = list(wb["问题明细"].iter_rows(min_row=2, values_only=True))
    if exp["file_code"]:
        assert [(d[0] or None, d[1], d[3]) for d in detail] == [(None, "（整个文件）", exp["file_code"])]
    else:
        assert Counter((int(d[0]), d[3]) for d in detail) == Counter((e[0], e[2]) for e in exp["errors"])
        assert len({d[0] for d in detail}) == exp["rows_quarantined"]
        assert all(d[4] for d in detail), "every problem has a Chinese explanation"
    for value in exp.get("formula_like_values", []):
        cells = [c for row in wb["问题明细"].iter_rows(min_row=2) for c in row if c.value == value]
        assert cells and all(c.data_type == "s" for c in cells), value


SIGN_OFF_FILES = sorted(n for n, e in FILES.items() if e.get("sign_off"))


def _all_text_in_raw(con) -> str:
    """Every value of every table of the raw schema (raw.*, raw.quarantine with its raw_record JSON), as text."""
    parts = []
    for (table,) in con.execute("SELECT table_name FROM duckdb_tables() WHERE schema_name = 'raw'").fetchall():
        parts += [str(r[0]) for r in con.execute(f'SELECT CAST(t AS VARCHAR) FROM raw."{table}" t').fetchall()]
    return "\n".join(parts)


@pytest.mark.parametrize("name", SIGN_OFF_FILES)
def test_sign_off_rows_reach_neither_warehouse_nor_receipt(name, tmp_path):
    """单位负责人 … 联系电话 rows are note rows: the names and phone digits they hold are nowhere after a load."""
    import openpyxl

    assert len(SIGN_OFF_FILES) >= 2
    secrets = EXPECTED["sign_off"]["names"] + EXPECTED["sign_off"]["phone_digits"]
    if name.endswith(".csv"):  # the test proves something only if the file holds them
        sent = (CORPUS / name).read_text(encoding="utf-8")
    else:
        from python_calamine import CalamineWorkbook

        wb = CalamineWorkbook.from_path(str(CORPUS / name))
        sent = "\n".join(repr(c) for n in wb.sheet_names for row in wb.get_sheet_by_name(n).to_python() for c in row)
    assert sum(s in sent for s in secrets) >= 4
    _, con, r = load_one(tmp_path, name)
    try:
        assert r.skipped.get("note", 0) >= 2 and r.rows_quarantined >= 1
        warehouse = _all_text_in_raw(con)
        assert con.execute("SELECT count(*) FROM raw.quarantine WHERE raw_record IS NOT NULL").fetchone()[0] >= 1
    finally:
        con.close()
    receipt = []
    for ws in openpyxl.load_workbook(r.receipt).worksheets:
        receipt += [str(c) for row in ws.iter_rows(values_only=True) for c in row if c is not None]
    _, payload = _validate_in_process(CORPUS / name, FILES[name]["source"])
    validate_text = json.dumps(payload, ensure_ascii=False)
    for secret in secrets:
        assert secret not in warehouse, (name, secret)
        assert not any(secret in c for c in receipt), (name, secret)
        assert secret not in validate_text, (name, secret)


def test_industry_unknown_says_where_to_report_a_valid_code(tmp_path):
    """The receipt message of industry_unknown names the seed the department extends, which is the list checked."""
    import openpyxl

    from ingest.rules import INDUSTRY_SEED, industry_classes

    assert (ROOT / "dbt_project" / "seeds" / INDUSTRY_SEED).is_file()
    classes = industry_classes()
    assert len(classes) >= 1381 and classes["7010"] == "K" and classes["3484"] == "C" and "3490" not in classes
    _, con, r = load_one(tmp_path, "ent_industry_classes.csv")
    con.close()
    detail = list(openpyxl.load_workbook(r.receipt)["问题明细"].iter_rows(min_row=2, values_only=True))
    messages = [d[4] for d in detail if d[3] == "industry_unknown"]
    assert len(messages) == 4
    assert all("省经信厅数据组" in m and f"dbt_project/seeds/{INDUSTRY_SEED}" in m for m in messages)


def test_receipt_values_are_raw_text_and_long_text_is_whole(tmp_path):
    """The 501-character problem text is reported in full with the out_of_range reason; 500 loads."""
    import openpyxl

    _, con, r = load_one(tmp_path, "op_problem_text_len.csv")
    con.close()
    detail = list(openpyxl.load_workbook(r.receipt)["问题明细"].iter_rows(min_row=2, values_only=True))
    assert [(d[0], d[3]) for d in detail] == [("3", "out_of_range")]
    assert len(detail[0][5]) == 501
    assert "500" in detail[0][4]


def test_same_file_twice_is_a_duplicate_and_loads_nothing(tmp_path):
    from ingest.loader import Loader

    paths, con, first = load_one(tmp_path, "op_rules.csv")
    again = paths.inbox_for("operating") / "op_rules_resent.csv"
    shutil.copy(CORPUS / "op_rules.csv", again)
    r = Loader(con, paths.archive, paths.receipts, paths.warehouse / "work").load_file(again, "operating")
    assert r.status == "duplicate" and r.rows_loaded == 0
    assert con.execute("SELECT count(*) FROM raw.operating").fetchone()[0] == first.rows_loaded
    assert con.execute("SELECT count(*) FROM raw.quarantine WHERE load_id = ?", [r.load_id]).fetchone()[0] == 0
    con.close()
    assert not again.exists()


def test_name_mismatch_is_a_warning_not_a_rejection(tmp_path):
    from ingest.loader import Loader

    paths, con, _ = load_one(tmp_path, "ent_rules.csv")
    path = paths.inbox_for("operating") / "op.csv"
    text = (
        (CORPUS / "op_utf8_plain.csv").read_text(encoding="utf-8").replace("湖北测试科技有限公司01", "改了名字的公司")
    )
    path.write_text(text, encoding="utf-8")
    r = Loader(con, paths.archive, paths.receipts, paths.warehouse / "work").load_file(path, "operating")
    assert (r.status, r.rows_loaded, r.warnings) == ("loaded", 3, 1)
    assert con.execute("SELECT source_row, code FROM raw.load_warnings").fetchall() == [(2, "name_mismatch")]
    con.close()


# ----------------------------------------------------------------------------- 200 MB csv
BIG_SCRIPT = r"""
import json, resource, sys, time
from pathlib import Path
from ingest.loader import Loader
from warehouse.db import connect_build
from warehouse.paths import Paths

paths = Paths(Path(sys.argv[1])).ensure()
src = Path(sys.argv[2])
t0 = time.perf_counter()
con = connect_build(paths)
r = Loader(con, paths.archive, paths.receipts, paths.warehouse / "work").load_file(src, "operating")
n = con.execute("SELECT count(*) FROM raw.operating").fetchone()[0]
con.close()
print(json.dumps({"rows_read": r.rows_read, "rows_loaded": r.rows_loaded, "rows_quarantined": r.rows_quarantined,
                  "rows_skipped": r.rows_skipped, "raw_rows": n, "seconds": time.perf_counter() - t0,
                  "peak_rss_kb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss}))
"""


def write_big_csv(path: Path, target_bytes: int) -> tuple[int, int]:
    """An operating csv of about target_bytes (GBK, title row), every 1000th row broken. Returns (rows, bad rows)."""
    from ingest import uscc
    from ingest.contract import OPERATING

    codes = [uscc.make("420100", f"MB{i:06d}") for i in range(5000)]
    header = ",".join(f.header for f in OPERATING.fields)
    rows = bad = 0
    with open(path, "w", encoding="gb18030", newline="\n") as fh:
        fh.write("湖北省中小企业运行监测月报（压力测试）\n" + header + "\n")
        size = 0
        year, month = 2000, 1
        block = []
        while size < target_bytes:
            for code in codes:
                broken = rows % 1000 == 999
                vals = [
                    code,
                    "湖北测试机械制造有限公司",
                    f"{year}{month:02d}",
                    "123.45",
                    "1234.5",
                    "1000",
                    "800.25",
                    "-12.5",
                    "-10",
                    "5.5",
                    "0",
                    "12.3",
                    "98765.4",
                    "45678.9",
                    "2345.6",
                    "123.4",
                    "99.9",
                    "abc" if broken else "120",
                    "3",
                    "45.6",
                    "78.5%",
                    "321",
                    "654",
                    "0",
                    "好转",
                    "持平",
                    "上升",
                    "一般",
                    "充足",
                    "持平",
                    "好转",
                    "原材料涨价;订单不足",
                    "原材料价格上涨，订单减少",
                ]
                line = ",".join(vals) + "\n"
                block.append(line)
                size += len(line.encode("gb18030"))
                rows += 1
                bad += broken
            fh.write("".join(block))
            block = []
            month += 1
            if month > 12:
                year, month = year + 1, 1
    return rows, bad


@pytest.mark.slow
def test_200mb_csv_streams_within_memory_target(tmp_path):
    src_dir = tmp_path / "big"
    src_dir.mkdir()
    src = src_dir / "operating_200mb.csv"
    t0 = time.perf_counter()
    rows, bad = write_big_csv(src, 200 * 1024 * 1024)
    made = time.perf_counter() - t0
    assert src.stat().st_size >= 200 * 1024 * 1024
    env = sme_env(tmp_path / "home")
    env["PYTHONPATH"] = str(ROOT)
    proc = subprocess.run(
        [sys.executable, "-c", BIG_SCRIPT, str(tmp_path / "home"), str(src)],
        env=env,
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=900,
    )
    assert proc.returncode == 0, proc.stderr[-3000:]
    out = json.loads(proc.stdout.strip().splitlines()[-1])
    print(
        f"\n200 MB csv: {rows} rows written in {made:.1f} s, loaded in {out['seconds']:.1f} s, "
        f"peak RSS {out['peak_rss_kb'] / 1024:.0f} MB"
    )
    assert out["rows_read"] == rows
    assert out["rows_quarantined"] == bad and out["rows_loaded"] == rows - bad == out["raw_rows"]
    assert out["peak_rss_kb"] * 1024 < 3 * 1024**3, "peak memory above the 3 GB target"
