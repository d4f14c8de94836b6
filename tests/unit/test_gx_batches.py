"""The GX checks go through the new rows a batch of whole loads at a time (expectations/suites.py)."""

from __future__ import annotations

from expectations.suites import Outcome, SuiteResult, merge_results, plan_batches


def test_batches_hold_whole_loads_up_to_the_limit():
    counts = [(3, 400), (4, 300), (7, 200), (8, 600), (9, 100)]
    assert plan_batches(counts, 1000) == [(3, 7), (8, 9)]
    assert plan_batches(counts, 700) == [(3, 4), (7, 7), (8, 9)]


def test_a_load_larger_than_the_limit_is_a_batch_of_its_own():
    assert plan_batches([(1, 50), (2, 5000), (3, 50)], 100) == [(1, 1), (2, 2), (3, 3)]


def test_every_load_is_in_exactly_one_batch():
    counts = [(i, (i * 37) % 250 + 1) for i in range(1, 200)]
    batches = plan_batches(counts, 1000)
    covered = [i for lo, hi in batches for i, _ in counts if lo <= i <= hi]
    assert covered == [i for i, _ in counts]
    for lo, hi in batches:
        rows = sum(n for i, n in counts if lo <= i <= hi)
        assert rows <= 1000 or lo == hi


def test_no_new_rows_no_batch():
    assert plan_batches([], 1000) == []


def _part(rows: int, fails: dict[str, tuple[int, list]]) -> SuiteResult:
    outs = [
        Outcome("expect_a", "uscc", "uscc" not in fails, *(fails.get("uscc") or (0, []))),
        Outcome("expect_b", "period", "period" not in fails, *(fails.get("period") or (0, []))),
    ]
    return SuiteResult("operating", rows, not fails, outs)


def test_merged_result_adds_counts_and_fails_when_one_batch_fails():
    parts = [
        _part(500, {}),
        _part(400, {"uscc": (3, ["a", "b", "c"])}),
        _part(300, {"uscc": (4, ["d", "e", "f", "g"])}),
    ]
    r = merge_results("operating", parts)
    assert r.rows == 1200 and r.success is False
    by = {o.column: o for o in r.outcomes}
    assert by["uscc"].success is False and by["uscc"].unexpected_count == 7
    assert by["uscc"].unexpected_examples == ["a", "b", "c", "d", "e"]
    assert by["period"].success is True and by["period"].unexpected_count == 0
    assert [f.column for f in r.failures] == ["uscc"]
    assert parts[1].outcomes[0].unexpected_count == 3  # the parts are not changed by the merge


def test_merged_result_of_passing_batches_and_of_none():
    assert merge_results("operating", [_part(10, {}), _part(20, {})]).success is True
    empty = merge_results("operating", [])
    assert empty.rows == 0 and empty.success is True and empty.outcomes == []
