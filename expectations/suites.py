"""One GX suite per source, run on a DataFrame of the rows not yet published.

The validator already refuses bad rows one by one; these suites are the second line that
guards a publish against a loader fault or a row written around the loader. GX is imported
lazily (≈4 s): only the check that uses it pays.
"""

from __future__ import annotations

from dataclasses import dataclass

USCC_REGEX = r"^[0-9A-HJ-NPQRTUWXY]{2}\d{6}[0-9A-HJ-NPQRTUWXY]{10}$"
HUBEI_DIVISION_REGEX = r"^42\d{4}$"

# (expectation class name, kwargs) per source. Columns listed here are all a check reads from DuckDB.
SUITES: dict[str, list[tuple[str, dict]]] = {
    "enterprises": [
        ("ExpectColumnValuesToNotBeNull", {"column": "uscc"}),
        ("ExpectColumnValuesToMatchRegex", {"column": "uscc", "regex": USCC_REGEX}),
        ("ExpectColumnValuesToMatchRegex", {"column": "division_code", "regex": HUBEI_DIVISION_REGEX}),
        ("ExpectColumnValuesToNotBeNull", {"column": "profile_year"}),
        ("ExpectCompoundColumnsToBeUnique", {"column_list": ["uscc", "profile_year", "load_id"]}),
        (
            "ExpectColumnValuesToBeInSet",
            {"column": "current_title", "value_set": ["无", "创新型", "专精特新", "小巨人"]},
        ),
        ("ExpectColumnValuesToBeBetween", {"column": "niche_share_pct", "min_value": 0, "max_value": 100}),
        ("ExpectColumnValuesToBeBetween", {"column": "digital_level", "min_value": 1, "max_value": 4}),
    ],
    "operating": [
        ("ExpectColumnValuesToNotBeNull", {"column": "uscc"}),
        ("ExpectColumnValuesToMatchRegex", {"column": "uscc", "regex": USCC_REGEX}),
        ("ExpectColumnValuesToNotBeNull", {"column": "period"}),
        ("ExpectCompoundColumnsToBeUnique", {"column_list": ["uscc", "period", "load_id"]}),
        ("ExpectColumnValuesToBeBetween", {"column": "revenue_month", "min_value": 0}),
        (
            "ExpectColumnPairValuesAToBeGreaterThanB",
            {
                "column_A": "revenue_ytd",
                "column_B": "revenue_month",
                "or_equal": True,
                "ignore_row_if": "either_value_is_missing",
            },
        ),
        ("ExpectColumnValuesToBeBetween", {"column": "total_assets", "min_value": 0, "strict_min": True}),
        ("ExpectColumnValuesToBeBetween", {"column": "capacity_utilisation_pct", "min_value": 0, "max_value": 100}),
        ("ExpectColumnValuesToBeBetween", {"column": "employees", "min_value": 0}),
    ],
    "arrears": [
        ("ExpectColumnValuesToNotBeNull", {"column": "case_id"}),
        ("ExpectColumnValuesToNotBeNull", {"column": "as_of"}),
        ("ExpectCompoundColumnsToBeUnique", {"column_list": ["case_id", "as_of", "load_id"]}),
        ("ExpectColumnValuesToMatchRegex", {"column": "creditor_uscc", "regex": USCC_REGEX}),
        ("ExpectColumnValuesToBeBetween", {"column": "amount", "min_value": 0, "strict_min": True}),
        (
            "ExpectColumnPairValuesAToBeGreaterThanB",
            {"column_A": "amount", "column_B": "repaid", "or_equal": True, "ignore_row_if": "either_value_is_missing"},
        ),
        ("ExpectColumnValuesToBeInSet", {"column": "status", "value_set": ["未清偿", "部分清偿", "已清偿", "诉讼中"]}),
    ],
    "financing": [
        ("ExpectColumnValuesToNotBeNull", {"column": "record_id"}),
        ("ExpectCompoundColumnsToBeUnique", {"column_list": ["record_id", "load_id"]}),
        ("ExpectColumnValuesToMatchRegex", {"column": "uscc", "regex": USCC_REGEX}),
        ("ExpectColumnValuesToBeBetween", {"column": "amount_applied", "min_value": 0, "strict_min": True}),
        ("ExpectColumnValuesToBeBetween", {"column": "rate_pct", "min_value": 0, "max_value": 36}),
        (
            "ExpectColumnPairValuesAToBeGreaterThanB",
            {
                "column_A": "amount_applied",
                "column_B": "amount_approved",
                "or_equal": True,
                "ignore_row_if": "either_value_is_missing",
            },
        ),
    ],
}


def columns_for(source: str) -> list[str]:
    cols: list[str] = []
    for _, kw in SUITES[source]:
        for key in ("column", "column_A", "column_B"):
            if key in kw and kw[key] not in cols:
                cols.append(kw[key])
        for c in kw.get("column_list", []):
            if c not in cols:
                cols.append(c)
    return cols


@dataclass
class Outcome:
    expectation: str
    column: str
    success: bool
    unexpected_count: int | None
    unexpected_examples: list


@dataclass
class SuiteResult:
    source: str
    rows: int
    success: bool
    outcomes: list[Outcome]

    @property
    def failures(self) -> list[Outcome]:
        return [o for o in self.outcomes if not o.success]


def plan_batches(load_counts: list[tuple[int, int]], max_rows: int) -> list[tuple[int, int]]:
    """Split the new rows into batches of whole loads, each ≤ max_rows unless one load alone is larger.

    load_counts: (load_id, rows) in load order. Returns (first load_id, last load_id) per batch. Whole loads keep
    every expectation's meaning: all are row by row, and the uniqueness ones have load_id in their key."""
    batches: list[tuple[int, int]] = []
    lo = hi = None
    rows = 0
    for load_id, n in load_counts:
        if lo is not None and rows + n > max_rows:
            batches.append((lo, hi))
            lo, rows = None, 0
        if lo is None:
            lo = load_id
        hi, rows = load_id, rows + n
    if lo is not None:
        batches.append((lo, hi))
    return batches


def merge_results(source: str, parts: list[SuiteResult]) -> SuiteResult:
    """One result for batches checked one after another: counts added, the first five examples, all must pass."""
    parts = [p for p in parts if p.rows]
    merged: dict[tuple[str, str], Outcome] = {}
    for part in parts:
        for o in part.outcomes:
            m = merged.get((o.expectation, o.column))
            if m is None:
                merged[(o.expectation, o.column)] = Outcome(
                    o.expectation, o.column, o.success, o.unexpected_count, list(o.unexpected_examples)
                )
                continue
            m.success = m.success and o.success
            if o.unexpected_count is not None:
                m.unexpected_count = (m.unexpected_count or 0) + o.unexpected_count
            m.unexpected_examples = (m.unexpected_examples + list(o.unexpected_examples))[:5]
    return SuiteResult(
        source,
        sum(p.rows for p in parts),
        all(p.success for p in parts),
        list(merged.values()),
    )


class SuiteRunner:
    """The source's suite in one ephemeral GX context, made on first use and reused for every batch."""

    def __init__(self, source: str):
        self.source = source
        self._vd = None

    def _definition(self):
        import great_expectations as gx

        context = gx.get_context(mode="ephemeral")
        batch = (
            context.data_sources.add_pandas(f"{self.source}_batch")
            .add_dataframe_asset(name=f"{self.source}_new_rows")
            .add_batch_definition_whole_dataframe("whole")
        )
        suite = context.suites.add(gx.ExpectationSuite(name=f"raw_{self.source}"))
        for name, kwargs in SUITES[self.source]:
            suite.add_expectation(getattr(gx.expectations, name)(**kwargs))
        return context.validation_definitions.add(
            gx.ValidationDefinition(name=f"raw_{self.source}_new_rows", data=batch, suite=suite)
        )

    def run(self, df) -> SuiteResult:
        if len(df) == 0:
            return SuiteResult(self.source, 0, True, [])
        if self._vd is None:
            self._vd = self._definition()
        res = self._vd.run(
            batch_parameters={"dataframe": df},
            result_format={"result_format": "SUMMARY", "partial_unexpected_count": 5},
        )
        outcomes = []
        for r in res.results:
            cfg = r.expectation_config
            kw = cfg.kwargs
            column = kw.get("column") or ",".join(
                kw.get("column_list", []) or [kw.get("column_A", ""), kw.get("column_B", "")]
            )
            result = r.result or {}
            outcomes.append(
                Outcome(
                    cfg.type,
                    column,
                    bool(r.success),
                    result.get("unexpected_count"),
                    [str(x) for x in (result.get("partial_unexpected_list") or [])][:5],
                )
            )
        return SuiteResult(self.source, len(df), bool(res.success), outcomes)


def validate_dataframe(source: str, df) -> SuiteResult:
    """Run the source's suite on df (a pandas DataFrame) with an ephemeral GX context."""
    return SuiteRunner(source).run(df)
