"""Backup and restore with a real Superset (issue 12): `sme-monitor backup` of the live session home while its
Superset runs, `sme-monitor restore` into an empty SME_HOME, a second Superset started from the restored home the
way dashboards/serve.sh starts it (provision: `superset db upgrade`, bundle import; then the server). The same users
log in with the same passwords, and every chart of every board answers with the same rows, for the admin and for a
市州 user (who sees only that 市州 on both servers).

A user added by hand on the live server (not in the credentials file provision keeps) must come back too: only
the restored metadata database can bring it back, provision would not recreate it.
"""

from __future__ import annotations

import json
import os
import secrets
import subprocess

import pytest
import requests
from client import Superset
from sme_testing import ROOT, sme

pytestmark = pytest.mark.superset

CITY_CODE, CITY_NAME = "420100", "武汉市"
HAND_USER = "restore_probe"


def _add_user_by_hand(home, username: str, password: str, role: str) -> None:
    """As an operator would: `superset fab create-user` against the live home's metadata (the server keeps running)."""
    env = dict(
        os.environ,
        SME_HOME=str(home),
        SUPERSET_CONFIG_PATH=str(ROOT / "dashboards" / "superset_config.py"),
        FLASK_APP="superset.app:create_app()",
        SUPERSET_LOAD_EXAMPLES="no",
        PYTHONPATH=str(ROOT / "dashboards"),
    )
    proc = subprocess.run(
        [str(ROOT / ".venv-superset" / "bin" / "superset"), "fab", "create-user", "--role", role,
         "--username", username, "--firstname", "手工", "--lastname", "用户", "--email", f"{username}@sme.invalid",
         "--password", password],
        env=env, capture_output=True, text=True, timeout=180, cwd=ROOT,
    )  # fmt: skip
    assert proc.returncode == 0 and "created" in (proc.stdout + proc.stderr).lower(), proc.stdout + proc.stderr


def _rows(client: Superset, chart_id: int) -> list[dict]:
    """The chart's answer, recomputed (force: no cache), as comparable data: per query, column names and rows in a
    stable order (the SQL of a chart without ORDER BY may return rows in any order)."""
    resp = client.get(f"/api/v1/chart/{chart_id}/data/?force=true")
    assert resp.status_code == 200, (chart_id, resp.text[:300])
    out = []
    for res in resp.json()["result"]:
        assert not res.get("error"), (chart_id, res["error"])
        rows = sorted(json.dumps(r, sort_keys=True, ensure_ascii=False) for r in res["data"])
        out.append({"colnames": res.get("colnames"), "rowcount": res.get("rowcount"), "rows": rows})
    return out


def _answers(client: Superset, charts: list[dict]) -> dict[str, list[dict]]:
    return {str(ch["uuid"]): _rows(client, ch["id"]) for ch in charts}


def _only_region(answers: dict[str, list[dict]]) -> int:
    n = 0
    for per_chart in answers.values():
        for res in per_chart:
            for row in map(json.loads, res["rows"]):
                if "region_name" in row:
                    assert row["region_name"] == CITY_NAME, row
                    n += 1
    return n


def _login_fails(base: str, username: str, password: str) -> bool:
    r = requests.post(
        f"{base}/api/v1/security/login",
        json={"username": username, "password": password, "provider": "db", "refresh": True},
        timeout=30,
    )
    return r.status_code == 401


def test_restored_home_serves_the_same_boards_to_the_same_users(
    superset_server, superset_home, credentials, charts, login, start_superset, tmp_path
):
    city_user = f"city_{CITY_CODE}"
    probe_pw = secrets.token_urlsafe(12)
    _add_user_by_hand(superset_home, HAND_USER, probe_pw, f"市州·{CITY_NAME}")

    live = {"admin": login("admin"), city_user: login(city_user)}
    live[HAND_USER] = Superset(superset_server, HAND_USER, probe_pw)
    before = {u: _answers(c, charts) for u, c in live.items() if u != HAND_USER}
    # the hand-made user has the same 市州 role: a few charts, one of them per region
    probe_charts = [c for c in charts if c["slice_name"].startswith("各市州运行情况")] + charts[:3]
    before[HAND_USER] = _answers(live[HAND_USER], probe_charts)
    assert sum(res["rowcount"] or 0 for per in before["admin"].values() for res in per) > 0
    assert _only_region(before[city_user]) > 0 and _only_region(before[HAND_USER]) > 0

    backup = tmp_path / "backup"
    proc = sme(superset_home, "backup", "--to", str(backup))  # while the live server runs
    assert proc.returncode == 0, proc.stdout + proc.stderr
    restored = tmp_path / "restored"
    restored.mkdir()
    proc = sme(restored, "restore", "--from", str(backup))
    assert proc.returncode == 0, proc.stdout + proc.stderr

    with start_superset(restored) as base:
        # the same passwords open the same accounts; a wrong one still does not
        again = {u: Superset(base, u, credentials[u]) for u in ("admin", city_user)}
        again[HAND_USER] = Superset(base, HAND_USER, probe_pw)
        for user in ("admin", city_user, HAND_USER):
            assert _login_fails(base, user, "wrong-" + probe_pw), user
        assert _login_fails(base, "no_such_user", probe_pw)

        # the restored metadata names the restored home's serving copy, not the original's
        admin = again["admin"]
        dbs = admin.list_all("database", ["id", "database_name"])
        db_id = next(d["id"] for d in dbs if d["database_name"] == "湖北中小企业监测")
        uri = admin.get(f"/api/v1/database/{db_id}/connection").json()["result"]["sqlalchemy_uri"]
        assert str(restored / "warehouse" / "serving.duckdb") in uri, uri

        # the same boards and charts (same uuids), answering with the same rows
        restored_charts = admin.list_all("chart", ["id", "slice_name", "uuid"])
        assert sorted(str(c["uuid"]) for c in restored_charts) == sorted(str(c["uuid"]) for c in charts)
        by_uuid = {str(c["uuid"]): c for c in restored_charts}
        same_ids = [{**c, "id": by_uuid[str(c["uuid"])]["id"]} for c in charts]
        after = {u: _answers(c, same_ids) for u, c in again.items() if u != HAND_USER}
        after[HAND_USER] = _answers(
            again[HAND_USER], [{**c, "id": by_uuid[str(c["uuid"])]["id"]} for c in probe_charts]
        )
        for user in before:
            diff = [by_uuid[k]["slice_name"] for k in before[user] if before[user][k] != after[user].get(k)]
            assert not diff, (user, diff)
        assert _only_region(after[city_user]) == _only_region(before[city_user])

        # the Superset secret came back: a token the live server signed is accepted by the restored one
        assert admin.s.get(f"{base}/api/v1/me/", timeout=30).ok
        token_from_live = live["admin"].s.headers["Authorization"]
        me = requests.get(f"{base}/api/v1/me/", headers={"Authorization": token_from_live}, timeout=30)
        assert me.status_code == 200, me.text[:300]
