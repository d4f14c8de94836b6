"""A small REST client for the Superset under test (JWT + CSRF + session cookie, per STACK.md)."""

from __future__ import annotations

import requests


class Superset:
    def __init__(self, base: str, username: str, password: str):
        self.base = base.rstrip("/")
        self.username = username
        self.s = requests.Session()
        r = self.s.post(
            f"{self.base}/api/v1/security/login",
            json={"username": username, "password": password, "provider": "db", "refresh": True},
            timeout=30,
        )
        r.raise_for_status()
        self.s.headers["Authorization"] = f"Bearer {r.json()['access_token']}"
        r = self.s.get(f"{self.base}/api/v1/security/csrf_token/", timeout=30)
        r.raise_for_status()
        self.s.headers["X-CSRFToken"] = r.json()["result"]
        self.s.headers["Referer"] = self.base

    def get(self, path: str, **kw) -> requests.Response:
        return self.s.get(self.base + path, timeout=kw.pop("timeout", 60), **kw)

    def post(self, path: str, **kw) -> requests.Response:
        return self.s.post(self.base + path, timeout=kw.pop("timeout", 60), **kw)

    def list_all(self, resource: str, columns: list[str]) -> list[dict]:
        import json

        q = json.dumps({"columns": columns, "page_size": 100, "page": 0})
        r = self.get(f"/api/v1/{resource}/?q={q}")
        r.raise_for_status()
        return r.json()["result"]

    def chart_data(self, chart_id: int, result_type: str | None = None) -> requests.Response:
        suffix = f"?type={result_type}" if result_type else ""
        return self.get(f"/api/v1/chart/{chart_id}/data/{suffix}")

    def sql(self, database_id: int, sql: str) -> requests.Response:
        return self.post(
            "/api/v1/sqllab/execute/",
            json={
                "database_id": database_id,
                "sql": sql,
                "schema": "marts",
                "runAsync": False,
                "tab": "test",
                "queryLimit": 100,
                "expand_data": False,
            },
        )


def read_credentials(path) -> dict[str, str]:
    out = {}
    for line in path.read_text(encoding="utf-8").splitlines():
        parts = line.split()
        if len(parts) == 2:
            out[parts[0]] = parts[1]
    return out


# The seven boards of issue 4, in the order leaders read them.
BOARD_TITLES = [
    "全省中小企业运行总览",
    "专精特新梯度培育",
    "清欠工作进展",
    "融资服务",
    "问题诉求与风险预警",
    "景气指数",
    "“十四五”目标进展",
    "报送情况",
]
