"""The incremental monthly chain gives exactly what a rebuild from scratch gives.

After the shared small sample (2020–2021) is published, a second real `sme-monitor run` loads:
  - the nightly increment of the sample generator (one more month, 2026-01; a new arrears ledger; a day of financing),
  - a resubmission of three firms' 2021-06 reports with other figures (so 2021 must be rebuilt, 2020 kept),
  - a new enterprises profile that moves one firm to another 市州 (so the kept 2020 rows must change 市州),
  - (signals) a second firm's 2020 profile sent again from another 市州: sentiment and the problem signals group
    by the profile of the report year, so their 2020 months must be rebuilt although no 2020 report changed,
  - for enterprise_alerts (its own block below): a late arrears ledger for 2021-03 and a financing refusal applied
    in 2021-03 by a firm refused once in the five months before, so alerts are rebuilt from 2021-03 and the
    refusal alert needs the rule's lookback.
Then the incremental tables (the monthly chain, the tier assessments that recompute only changed inputs, the
sentiment / problem-signal marts, the reporting detail and the alerts) are compared row for row with a
`dbt run --full-refresh` of the same models on a copy.
"""

from __future__ import annotations

import datetime as dt
import shutil
from pathlib import Path

import duckdb
import pytest
from sme_testing import SMALL_SAMPLE, clone_home, query, run_dbt, run_pipeline, write_csv

from ingest.contract import ARREARS, ENTERPRISES, FINANCING, OPERATING, PERIOD, Template
from warehouse.paths import Paths

MONTHLY_CHAIN = ("int_operating__months", "int_operating__problems", "enterprise_months")
# sentiment and problem signals, incremental by month on report reports and registry profiles
# (macros/signals/signals_incremental.sql)
SIGNALS = ("int_signals__problem_cells", "problem_signals", "sentiment_index")
# reporting coverage detail, incremental by month on report versions and profiles (macros/reporting/…)
REPORTING = ("int_reporting__firm_months",)
# enterprise_alerts: incremental by period (macros/incremental/alerts_window.sql); its inputs are added below.
ALERTS = ("enterprise_alerts",)
INCREMENTAL = (*MONTHLY_CHAIN, "tier_assessments", *SIGNALS, *REPORTING, *ALERTS)
SCHEMA = {
    "int_operating__months": "intermediate",
    "int_operating__problems": "intermediate",
    "int_signals__problem_cells": "intermediate",
    "int_reporting__firm_months": "intermediate",
}
SIGNALS_MOVED_FILE = "企业名录_2020年度补正.csv"


def _as_sent(tpl: Template, row: dict) -> dict:
    """A raw row back as the text a county would type (report month as YYYY-MM, 是/否, lists with 、)."""
    out = {}
    for f in tpl.fields:
        v = row.get(f.name)
        if v is None:
            v = ""
        elif f.type == PERIOD:
            v = v.strftime("%Y-%m")
        elif isinstance(v, bool):
            v = "是" if v else "否"
        elif isinstance(v, list):
            v = "、".join(v)
        elif isinstance(v, dt.date):
            v = v.isoformat()
        out[f.name] = v
    return out


def _current_rows(db: Path, source: str, tpl: Template, where: str) -> list[dict]:
    names = [f.name for f in tpl.fields]
    con = duckdb.connect(str(db), read_only=True)
    try:
        got = con.execute(f"SELECT {', '.join(names)} FROM raw.{source} WHERE {where}").fetchall()
    finally:
        con.close()
    return [dict(zip(names, r, strict=True)) for r in got]


def _marts_db(home: Path) -> Path:
    return Paths(home).marts_db


@pytest.fixture(scope="module")
def incremented(published_sample, tmp_path_factory) -> Path:
    from sample import generate_increment

    home = clone_home(published_sample, tmp_path_factory.mktemp("incremental") / "home")
    build = home / "warehouse" / "build.duckdb"
    generate_increment(
        home / "inbox",
        SMALL_SAMPLE["seed"],
        n_enterprises=SMALL_SAMPLE["n_enterprises"],
        months=SMALL_SAMPLE["months"],
        base_preset=SMALL_SAMPLE["preset"],
    )
    (home / "inbox" / "_sample_expected_increment.json").unlink()

    # three firms resubmit June 2021 with a higher revenue (the latest load wins in staging)
    june = _current_rows(
        build,
        "operating",
        OPERATING,
        "period = DATE '2021-06-01' QUALIFY row_number() OVER (PARTITION BY uscc ORDER BY load_id DESC, source_row DESC) = 1 "
        "ORDER BY uscc LIMIT 3",
    )
    assert len(june) == 3
    for r in june:
        r["revenue_ytd"] = round((r["revenue_ytd"] or 0) * 1.5 + 100, 2)
        r["main_revenue_ytd"] = None
    (home / "inbox" / "operating").mkdir(parents=True, exist_ok=True)
    write_csv(
        home / "inbox" / "operating" / "更正_2021年06月_运行监测月报.csv",
        OPERATING,
        [_as_sent(OPERATING, r) for r in june],
    )

    # one firm's newest profile, sent again from another 市州
    firm = june[0]["uscc"]
    profile = _current_rows(
        build, "enterprises", ENTERPRISES, f"uscc = '{firm}' ORDER BY profile_year DESC, load_id DESC LIMIT 1"
    )[0]
    region = query(_marts_db(home), f"SELECT region_code FROM marts.enterprises WHERE uscc = '{firm}'")[0][0]
    profile["division_code"] = "420500" if not region.startswith("4205") else "420600"
    (home / "inbox" / "enterprises").mkdir(parents=True, exist_ok=True)
    write_csv(home / "inbox" / "enterprises" / "企业名录_更正.csv", ENTERPRISES, [_as_sent(ENTERPRISES, profile)])
    _alert_inputs(home, build)

    # signals: another firm that reported in 2020 and has a 2021 profile sends its 2020 profile again from another
    # 市州. No 2020 report changes and its current 市州 (2021 profile) stays, but sentiment and the problem signals
    # count 2020 under the 2020 profile: only the profile side of their watermark can see that 2020 must be rebuilt.
    other = query(
        build,
        "SELECT uscc FROM raw.enterprises WHERE profile_year = 2020 AND uscc IN "
        "(SELECT uscc FROM raw.enterprises WHERE profile_year = 2021) "
        "AND uscc IN (SELECT uscc FROM raw.operating WHERE period < DATE '2021-01-01' AND sent_overall IS NOT NULL) "
        f"AND uscc NOT IN ({', '.join(repr(r['uscc']) for r in june)}) ORDER BY uscc LIMIT 1",
    )[0][0]
    old = _current_rows(
        build, "enterprises", ENTERPRISES, f"uscc = '{other}' AND profile_year = 2020 ORDER BY load_id DESC LIMIT 1"
    )[0]
    old["division_code"] = "420500" if not old["division_code"].startswith("4205") else "420600"
    write_csv(home / "inbox" / "enterprises" / SIGNALS_MOVED_FILE, ENTERPRISES, [_as_sent(ENTERPRISES, old)])

    proc = run_pipeline(home)
    assert proc.returncode == 0, proc.stdout[-4000:] + proc.stderr[-4000:]
    (home / "run2.log").write_text(proc.stdout + proc.stderr)
    return home


# --- enterprise_alerts: inputs that change alerts of old periods, inside the lookback ---------------------------------
LATE_MONTH = dt.date(2021, 3, 1)  # before the June 2021 resubmission: the first period the alerts rebuild
ALERT_INPUTS = "alert_inputs.json"


def _alert_inputs(home: Path, build: Path) -> None:
    """A late ledger of 2021-03 (an overdue case: the creditor's arrears alert appears in 2021-03) and a refusal
    applied in 2021-03 by a firm refused exactly once in 2020-10…2021-02: its repeated-refusal alert of 2021-03
    needs the refusal 1–5 months back, so an alerts build that read less than the lookback would miss it."""
    import json

    marts = _marts_db(home)
    refused = query(
        marts,
        "SELECT uscc, min(month) FROM marts.financing_applications WHERE is_refused GROUP BY uscc "
        "HAVING count(*) FILTER (WHERE month BETWEEN DATE '2020-10-01' AND DATE '2021-03-01') = 1 "
        "AND count(*) FILTER (WHERE month BETWEEN DATE '2020-10-01' AND DATE '2021-02-01') = 1 "
        "AND count(*) FILTER (WHERE month BETWEEN DATE '2021-03-01' AND DATE '2021-08-01') = 0 ORDER BY 1 LIMIT 1",
    )
    assert refused, "the small sample has no firm refused once in 2020-10…2021-02"
    firm = refused[0][0]
    record = _current_rows(build, "financing", FINANCING, f"uscc = '{firm}' ORDER BY load_id DESC, record_id LIMIT 1")[
        0
    ]
    record |= {
        "record_id": "INC-ALERT-R1",
        "applied_on": dt.date(2021, 3, 15),
        "decision": "拒绝",
        "amount_approved": None,
        "disbursed_on": None,
        "rate_pct": None,
        "guarantee_fee_pct": None,
    }
    (home / "inbox" / "financing").mkdir(parents=True, exist_ok=True)
    write_csv(home / "inbox" / "financing" / "融资补报_2021年03月.csv", FINANCING, [_as_sent(FINANCING, record)])

    creditor = query(
        marts,
        "SELECT e.uscc FROM marts.enterprises e WHERE e.uscc NOT IN (SELECT uscc FROM marts.enterprise_alerts "
        "WHERE alert_code = 'arrears_overdue_90d' AND period = DATE '2021-03-01') ORDER BY 1 LIMIT 1",
    )[0][0]
    case = _current_rows(build, "arrears", ARREARS, "true ORDER BY load_id, case_id LIMIT 1")[0]
    case |= {
        "as_of": dt.date(2021, 3, 31),
        "case_id": "INC-ALERT-A1",
        "creditor_uscc": creditor,
        "creditor_name": None,
        "debtor_type": "机关",
        "division_code": None,
        "delivered_on": dt.date(2020, 6, 1),
        "accepted_on": None,
        "agreed_term_days": 30,
        "amount": 50.0,
        "disputed": False,
        "repaid": 0.0,
        "last_repaid_on": None,
        "status": "未清偿",
    }
    (home / "inbox" / "arrears").mkdir(parents=True, exist_ok=True)
    write_csv(home / "inbox" / "arrears" / "台账补报_2021年03月.csv", ARREARS, [_as_sent(ARREARS, case)])
    (home / ALERT_INPUTS).write_text(json.dumps({"refused_firm": firm, "creditor": creditor}))


@pytest.fixture(scope="module")
def rebuilt(incremented, tmp_path_factory) -> Path:
    """The same warehouse with the incremental models rebuilt from scratch by dbt."""
    home = tmp_path_factory.mktemp("rebuilt") / "home"
    shutil.copytree(incremented / "warehouse", home / "warehouse")
    proc = run_dbt(
        home,
        "run",
        "--full-refresh",
        "--select",
        *INCREMENTAL,
        "--log-path",
        str(home / "dbt-logs"),
        target=home / "dbt-target",
        timeout=600,
    )
    assert proc.returncode == 0, proc.stdout[-4000:]
    return home


def test_second_run_was_incremental(incremented):
    log = (incremented / "run2.log").read_text()
    assert "全量重建" not in log, "the dbt project did not change between the runs: the build must be incremental"
    # the June 2021 correction is the oldest change: 2020 is kept, 2021 onwards rebuilt, by each model of the chain
    for model in MONTHLY_CHAIN:
        assert f"incremental {model}: rebuilding report years >= 2021" in log, model
    # signals: the reports say 2021, the resent 2020 profile says 2020
    # reporting detail: the resent 2020 profile changes which firms are expected from January 2020
    assert "incremental int_reporting__firm_months: rebuilding months >= 2020-01-01" in log
    for model in SIGNALS:
        assert (
            f"incremental {model}: rebuilding months of report years >= 2020 (reports: 2021, profiles: 2020)" in log
        ), model
    loaded = query(
        incremented / "warehouse" / "build.duckdb",
        "SELECT file_name, rows_loaded FROM raw.load_manifest WHERE file_name LIKE '%更正_2021年06月%' "
        "OR file_name LIKE '企业名录_更正%' ORDER BY 1",
    )
    assert [n for _, n in loaded] == [1, 3], loaded


def _db_for(home: Path, model: str) -> Path:
    return Paths(home).build_db if model in SCHEMA else Paths(home).marts_db


@pytest.mark.parametrize("model", INCREMENTAL)
def test_incremental_equals_full_rebuild(incremented, rebuilt, model):
    t = f"{SCHEMA.get(model, 'marts')}.{model}"
    con = duckdb.connect()
    try:
        con.execute(f"ATTACH '{_db_for(incremented, model)}' AS inc (READ_ONLY)")
        con.execute(f"ATTACH '{_db_for(rebuilt, model)}' AS rebuilt (READ_ONLY)")
        n_inc = con.execute(f"SELECT count(*) FROM inc.{t}").fetchall()[0][0]
        n_full = con.execute(f"SELECT count(*) FROM rebuilt.{t}").fetchall()[0][0]
        only_inc = con.execute(f"SELECT * FROM inc.{t} EXCEPT ALL SELECT * FROM rebuilt.{t} LIMIT 5").fetchall()
        only_full = con.execute(f"SELECT * FROM rebuilt.{t} EXCEPT ALL SELECT * FROM inc.{t} LIMIT 5").fetchall()
    finally:
        con.close()
    assert n_inc == n_full and n_inc > 0
    assert not only_inc and not only_full, (only_inc, only_full)


def test_changes_reached_the_kept_and_the_rebuilt_years(incremented):
    db = _marts_db(incremented)
    build = incremented / "warehouse" / "build.duckdb"
    moved = query(build, "SELECT uscc, division_code FROM raw.enterprises WHERE source_file LIKE '企业名录_更正%'")
    assert len(moved) == 1
    firm, division = moved[0]
    regions = query(db, f"SELECT DISTINCT region_code FROM marts.enterprise_months WHERE uscc = '{firm}'")
    assert regions == [(division[:4] + "00",)], "kept years (2020) must carry the firm's new 市州"
    corrected = query(
        build,
        "SELECT o.uscc, o.revenue_ytd FROM raw.operating o WHERE o.source_file LIKE '更正_2021年06月%' ORDER BY 1",
    )
    shown = query(
        db,
        "SELECT uscc, revenue_ytd FROM marts.enterprise_months WHERE period = DATE '2021-06-01' AND uscc IN "
        f"({', '.join(repr(u) for u, _ in corrected)}) ORDER BY 1",
    )
    assert shown == corrected
    assert query(db, "SELECT count(*) FROM marts.enterprise_months WHERE period = DATE '2026-01-01'")[0][0] > 0


def test_signals_second_night_changed_kept_partitions(published_sample, incremented):
    """The second night's inputs change months the reports alone would keep (2020) and add a month."""
    build = incremented / "warehouse" / "build.duckdb"
    ((firm, division),) = query(
        build, f"SELECT uscc, division_code FROM raw.enterprises WHERE source_file = '{SIGNALS_MOVED_FILE}'"
    )
    region = division[:4] + "00"
    # the firm's 2020 months count in its 2020 profile's 市州; the operating panel keeps its current (2021) 市州
    assert query(
        build,
        f"SELECT DISTINCT region_code FROM intermediate.int_signals__profile_spans WHERE uscc = '{firm}' AND profile_year = 2020",
    ) == [(region,)]
    db = _marts_db(incremented)
    assert query(
        db, f"SELECT DISTINCT region_code FROM marts.enterprise_months WHERE uscc = '{firm}' AND report_year = 2020"
    ) != [(region,)]
    con = duckdb.connect()
    try:
        con.execute(f"ATTACH '{_marts_db(published_sample)}' AS before (READ_ONLY)")
        con.execute(f"ATTACH '{db}' AS after (READ_ONLY)")
        for t in ("sentiment_index", "problem_signals"):
            # 2020 rows changed value (not only their load id), and the new month arrived
            changed = con.execute(
                f"SELECT count(*) FROM (SELECT * EXCLUDE (source_load_id) FROM after.marts.{t} "
                f"WHERE month < DATE '2021-01-01' EXCEPT ALL SELECT * EXCLUDE (source_load_id) FROM before.marts.{t} "
                "WHERE month < DATE '2021-01-01')"
            ).fetchall()[0][0]
            assert changed > 0, t
            latest = con.execute(
                f"SELECT (SELECT max(month) FROM after.marts.{t}) > (SELECT max(month) FROM before.marts.{t})"
            )
            assert latest.fetchall()[0][0], t
    finally:
        con.close()


# --- enterprise_alerts ---------------------------------------------------------------------------------------------
def test_alerts_rebuilt_from_the_first_touched_period(incremented):
    log = (incremented / "run2.log").read_text()
    assert f"incremental enterprise_alerts: rebuilding periods >= {LATE_MONTH.isoformat()}" in log


def test_alerts_of_old_periods_changed(published_sample, incremented):
    """The second night's inputs add alerts to 2021-03 (a kept period before the late ledger would have been wrong):
    the equality with the rebuild above is then a check of the watermark and the lookback, not of an idle night."""
    import json

    keys = json.loads((incremented / ALERT_INPUTS).read_text())
    sql = (
        "SELECT alert_code FROM marts.enterprise_alerts WHERE period = DATE '2021-03-01' AND "
        "((uscc = ? AND alert_code = 'financing_refused_repeatedly') OR (uscc = ? AND alert_code = 'arrears_overdue_90d')) "
        "ORDER BY 1"
    )
    params = [keys["refused_firm"], keys["creditor"]]
    assert query(_marts_db(published_sample), sql, params) == []
    assert query(_marts_db(incremented), sql, params) == [("arrears_overdue_90d",), ("financing_refused_repeatedly",)]


# --- data tests scoped to the rebuilt partitions (macros/incremental/test_scope.sql) --------------------------------
def test_builds_recorded_the_partitions_they_rebuilt(incremented, rebuilt):
    """The `where: __rebuilt_partitions__` data tests read this state: the second night rebuilt report years from 2021
    (the June 2021 resubmission) and alert periods from 2021-03 (the late ledger); a full refresh records the whole
    table (NULL: the tests check every row)."""
    sql = "SELECT model, partition_column, rebuilt_from FROM incremental_state.builds ORDER BY 1"
    assert query(Paths(incremented).build_db, sql) == [
        ("int_operating__months", "report_year", "2021"),
        ("int_operating__problems", "report_year", "2021"),
    ]
    assert query(_marts_db(incremented), sql) == [
        ("enterprise_alerts", "period", f"date '{LATE_MONTH.isoformat()}'"),
        ("enterprise_months", "report_year", "2021"),
    ]
    for db in (Paths(rebuilt).build_db, _marts_db(rebuilt)):
        assert all(r[2] is None for r in query(db, sql)), query(db, sql)
