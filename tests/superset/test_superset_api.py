"""A real Superset over a serving DuckDB: chart data, row-level security, SQL Lab safety, publishes."""

from __future__ import annotations

import os
import shutil
import threading
import time

import pytest
from client import BOARD_TITLES  # noqa: E402
from sme_testing import query

pytestmark = pytest.mark.superset

CITY_CODE, CITY_NAME = "420100", "武汉市"


def _results(resp) -> list[dict]:
    assert resp.status_code == 200, resp.text[:500]
    return resp.json()["result"]


def test_seven_boards_imported(dashboards):
    assert sorted(d["dashboard_title"] for d in dashboards) == sorted(BOARD_TITLES)


# Charts whose emptiness is good news, with the query on the serving copy that says it must be empty: the missing
# list of the latest month is empty exactly when every expected firm reported (the small test sample's case).
MAY_BE_EMPTY = {
    "未报送企业（最新月份，前1000条）": "SELECT count(*) FROM marts.missing_reports "
    "WHERE month = (SELECT max(month) FROM marts.reporting_coverage)",
}


def test_every_chart_returns_rows(admin, charts, superset_home):
    assert len(charts) >= 40
    serving = superset_home / "warehouse" / "serving.duckdb"
    failures = []
    for ch in charts:
        resp = admin.chart_data(ch["id"])
        if resp.status_code != 200:
            failures.append(f"{ch['slice_name']}: HTTP {resp.status_code} {resp.text[:200]}")
            continue
        for res in resp.json()["result"]:
            if res.get("error"):
                failures.append(f"{ch['slice_name']}: {res['error']}")
            elif not res.get("rowcount"):
                rule = MAY_BE_EMPTY.get(ch["slice_name"])
                if rule is None or query(serving, rule)[0][0] != 0:
                    failures.append(f"{ch['slice_name']}: no rows")
    assert not failures, "\n".join(failures)


def test_regional_user_sees_only_its_region(login, charts, admin):
    city = login(f"city_{CITY_CODE}")
    datasets = {d["id"]: d["table_name"] for d in admin.list_all("dataset", ["id", "table_name"])}
    seen_rows = 0
    for ch in charts:
        resp = city.chart_data(ch["id"])
        for res in _results(resp):
            assert not res.get("error"), (ch["slice_name"], res.get("error"))
            for row in res["data"]:
                if "region_name" in row:
                    assert row["region_name"] == CITY_NAME, (ch["slice_name"], row)
                    seen_rows += 1
        # The generated SQL carries the RLS predicate (plan targets are province-wide, no region column).
        queries = _results(city.chart_data(ch["id"], "query"))
        if datasets[ch["datasource_id"]] != "sme_plan_targets":
            assert all(f"region_code = '{CITY_CODE}'" in q["query"] for q in queries), (ch["slice_name"], queries)
    assert seen_rows > 0


def test_regional_filter_values_are_own_region_only(login, charts):
    city = login(f"city_{CITY_CODE}")
    ch = next(c for c in charts if c["slice_name"].startswith("各市州运行情况"))
    data = _results(city.chart_data(ch["id"]))[0]["data"]
    assert [r["region_name"] for r in data] == [CITY_NAME]


@pytest.mark.parametrize(
    "sql",
    [
        "SELECT * FROM read_csv('/etc/passwd')",
        "COPY (SELECT 1) TO '/tmp/sme_superset_copy.csv'",
        "COPY marts.enterprises TO '/tmp/sme_superset_copy2.csv'",
        "INSERT INTO marts.regions VALUES ('999999', 'x')",
        "ATTACH '/tmp/sme_superset_attach.duckdb' AS x",
        "INSTALL httpfs",
        "LOAD httpfs",
        "SET enable_external_access = true",
        "SELECT * FROM read_text('/etc/hostname')",
    ],
)
def test_sqllab_refuses_for_analyst(login, database_id, sql):
    analyst = login("analyst")
    resp = analyst.sql(database_id, sql)
    body = resp.text
    print(sql, "->", resp.status_code, body[:300])
    assert resp.status_code >= 400, body[:500]
    assert "Unknown field" not in body, body[:300]  # refused by the database / Superset, not by the payload schema
    reasons = (
        "disabled by configuration",
        "disabled through configuration",
        "Permission Error",
        "read-only",
        "DML",
        "configuration has been locked",
        "not allowed",
    )
    assert any(r in body for r in reasons), body[:500]
    assert "root:" not in body
    assert not os.path.exists("/tmp/sme_superset_copy.csv")
    assert not os.path.exists("/tmp/sme_superset_attach.duckdb")


def test_sqllab_reads_for_analyst(login, database_id):
    analyst = login("analyst")
    resp = analyst.sql(database_id, "SELECT count(*) AS n FROM marts.enterprises")
    assert resp.status_code == 200, resp.text[:500]
    assert resp.json()["data"][0]["n"] > 0


@pytest.mark.parametrize("user", ["leader", f"city_{CITY_CODE}"])
def test_no_sqllab_for_boards_only_roles(login, database_id, user):
    client = login(user)
    resp = client.sql(database_id, "SELECT 1")
    assert resp.status_code in (401, 403), resp.text[:300]
    page = client.get("/sqllab/", allow_redirects=False)
    assert page.status_code in (302, 401, 403), page.status_code
    # …but the boards are there
    dashboards = client.list_all("dashboard", ["id", "dashboard_title"])
    assert len(dashboards) == len(BOARD_TITLES)


def test_boards_keep_answering_through_publishes(admin, login, charts, database_id, superset_home):
    """Replace serving.duckdb with os.replace (as the pipeline's publish does) while charts are queried."""
    import duckdb

    serving = superset_home / "warehouse" / "serving.duckdb"
    analyst = login("analyst")
    errors: list[str] = []
    stop = threading.Event()
    sample = [c for c in charts if c["viz_type"] in ("table", "big_number_total", "echarts_timeseries_bar")][:6]

    def hammer():
        while not stop.is_set():
            for ch in sample:
                resp = admin.get(f"/api/v1/chart/{ch['id']}/data/?force=true")
                if resp.status_code != 200:
                    errors.append(f"{ch['slice_name']}: {resp.status_code} {resp.text[:200]}")

    t = threading.Thread(target=hammer)
    t.start()
    try:
        for i in range(3):
            staged = serving.with_name(f"serving.publish-{i}.duckdb")
            shutil.copyfile(serving, staged)
            con = duckdb.connect(str(staged))
            con.execute("CREATE OR REPLACE TABLE audit.superset_publish_test AS SELECT ? AS generation", [i])
            con.execute("CHECKPOINT")
            con.close()
            os.replace(staged, serving)
            time.sleep(1.0)
    finally:
        stop.set()
        t.join(timeout=120)
    assert not errors, "\n".join(errors[:10])
    resp = analyst.sql(database_id, "SELECT generation FROM audit.superset_publish_test")
    assert resp.status_code == 200, resp.text[:300]
    assert resp.json()["data"][0]["generation"] == 2
