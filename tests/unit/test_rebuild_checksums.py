"""The per-mart checksum that `sme-monitor rebuild --from-archive` compares: order-independent, yet sensitive."""

from __future__ import annotations

import duckdb

from orchestration.lib.rebuild import ArchivedFile, archived_files, compare_marts, table_checksums


def _db(path, rows, extra_table=False):
    con = duckdb.connect(str(path))
    con.execute("CREATE SCHEMA marts")
    con.execute("CREATE TABLE marts.t (k INTEGER, v DOUBLE, s VARCHAR)")
    con.executemany("INSERT INTO marts.t VALUES (?, ?, ?)", rows)
    if extra_table:
        con.execute("CREATE TABLE marts.extra AS SELECT 1 AS x")
    con.execute("CREATE SCHEMA audit")
    con.execute("CREATE TABLE audit.publication AS SELECT now() AS published_at")  # never compared
    con.close()
    return path


ROWS = [(1, 0.5, "a"), (2, None, None), (3, 1.25, "c")]


def test_same_rows_in_another_order_are_equal(tmp_path):
    a = _db(tmp_path / "a.duckdb", ROWS)
    b = _db(tmp_path / "b.duckdb", list(reversed(ROWS)))
    (cmp,) = compare_marts(a, b)
    assert cmp.equal and cmp.rows_live == cmp.rows_rebuilt == 3


def test_one_changed_value_is_different(tmp_path):
    a = _db(tmp_path / "a.duckdb", ROWS)
    b = _db(tmp_path / "b.duckdb", [(1, 0.5, "a"), (2, None, "x"), (3, 1.25, "c")])
    (cmp,) = compare_marts(a, b)
    assert not cmp.equal and cmp.rows_live == cmp.rows_rebuilt == 3


def test_a_doubled_row_is_different(tmp_path):
    """A xor of row hashes would cancel two identical rows out; the sum does not."""
    a = _db(tmp_path / "a.duckdb", ROWS)
    b = _db(tmp_path / "b.duckdb", ROWS + [(1, 0.5, "a"), (1, 0.5, "a")])
    assert table_checksums(a)["t"][1] != table_checksums(b)["t"][1]
    (cmp,) = compare_marts(a, b)
    assert not cmp.equal and (cmp.rows_live, cmp.rows_rebuilt) == (3, 5)


def test_floats_are_compared_to_six_decimals(tmp_path):
    a = _db(tmp_path / "a.duckdb", ROWS)
    b = _db(tmp_path / "b.duckdb", [(1, 0.5 + 1e-12, "a"), (2, None, None), (3, 1.25, "c")])
    c = _db(tmp_path / "c.duckdb", [(1, 0.5001, "a"), (2, None, None), (3, 1.25, "c")])
    assert compare_marts(a, b)[0].equal
    assert not compare_marts(a, c)[0].equal


def test_sums_that_round_apart_in_the_last_place_are_equal(tmp_path):
    """Two builds' parallel sums may differ in the last bit and straddle the 6th decimal (the demo's
    financing_summary: 6.717187 against 6.717188): compared row by row within a relative 1e-9, they are equal."""
    a = _db(tmp_path / "a.duckdb", [(1, 6.7171875 + 1e-13, "a"), (2, None, None), (3, 1.25, "c")])
    b = _db(tmp_path / "b.duckdb", [(3, 1.25, "c"), (1, 6.7171875 - 1e-13, "a"), (2, None, None)])
    assert table_checksums(a)["t"][1] != table_checksums(b)["t"][1]  # the rounded checksum tells them apart
    (cmp,) = compare_marts(a, b)
    assert cmp.equal and cmp.note == "浮点数末位不同，在误差内"
    # a float that really changed, a NULL on one side, or another text is still a difference
    for i, rows in enumerate(
        (
            [(1, 6.7172, "a"), (2, None, None), (3, 1.25, "c")],
            [(1, 6.7171875, "a"), (2, 0.0, None), (3, 1.25, "c")],
            [(1, 6.7171875 - 1e-13, "x"), (2, None, None), (3, 1.25, "c")],
        )
    ):
        c = _db(tmp_path / f"c{i}.duckdb", rows)
        assert not compare_marts(a, c)[0].equal, rows


def test_a_table_on_one_side_only_is_different(tmp_path):
    a = _db(tmp_path / "a.duckdb", ROWS)
    b = _db(tmp_path / "b.duckdb", ROWS, extra_table=True)
    res = {c.table: c for c in compare_marts(a, b)}
    assert res["t"].equal and not res["extra"].equal and res["extra"].rows_live is None


def test_archive_order_is_the_load_id_across_sources(tmp_path):
    for rel in (
        "operating/000002__b.csv",
        "enterprises/000001__a.csv",
        "enterprises/000010__c__x.csv",
        "arrears/000003__d.xlsx",
    ):
        p = tmp_path / rel
        p.parent.mkdir(parents=True, exist_ok=True)
        p.write_text("x")
    (tmp_path / "enterprises" / "notes.txt").write_text("not archived by the loader")
    got = archived_files(tmp_path)
    assert [(a.load_id, a.source, a.name) for a in got] == [
        (1, "enterprises", "a.csv"),
        (2, "operating", "b.csv"),
        (3, "arrears", "d.xlsx"),
        (10, "enterprises", "c__x.csv"),
    ]
    assert isinstance(got[0], ArchivedFile)
