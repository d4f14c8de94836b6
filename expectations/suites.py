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


def validate_dataframe(source: str, df) -> SuiteResult:
    """Run the source's suite on df (a pandas DataFrame) with an ephemeral GX context."""
    if len(df) == 0:
        return SuiteResult(source, 0, True, [])
    import great_expectations as gx

    context = gx.get_context(mode="ephemeral")
    batch = (
        context.data_sources.add_pandas(f"{source}_batch")
        .add_dataframe_asset(name=f"{source}_new_rows")
        .add_batch_definition_whole_dataframe("whole")
    )
    suite = context.suites.add(gx.ExpectationSuite(name=f"raw_{source}"))
    for name, kwargs in SUITES[source]:
        suite.add_expectation(getattr(gx.expectations, name)(**kwargs))
    vd = context.validation_definitions.add(
        gx.ValidationDefinition(name=f"raw_{source}_new_rows", data=batch, suite=suite)
    )
    res = vd.run(
        batch_parameters={"dataframe": df}, result_format={"result_format": "SUMMARY", "partial_unexpected_count": 5}
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
    return SuiteResult(source, len(df), bool(res.success), outcomes)
