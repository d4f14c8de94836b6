"""The figures of a report: every number the text quotes is one scalar SQL query on the serving copy, recorded with
its id, value and formatted text, so a test can re-run each query and check the text says exactly that."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any

from reports import fmt

_PARAM = re.compile(r"\$([a-z_]+)")


def bind(sql: str, params: dict[str, Any]) -> dict[str, Any]:
    """Only the named parameters the query uses (DuckDB refuses unused ones)."""
    return {k: params[k] for k in dict.fromkeys(_PARAM.findall(sql))}


@dataclass(frozen=True)
class Figure:
    id: str
    kind: str  # a key of fmt.FORMATS
    value: float
    text: str
    sql: str
    params: dict[str, Any] = field(default_factory=dict)


class Figures:
    """Runs scalar queries, formats their values and keeps the list (id, value, text, sql, params)."""

    def __init__(self, con, params: dict[str, Any]):
        self.con = con
        self.params = params
        self.items: list[Figure] = []
        self.by_id: dict[str, Figure] = {}
        self.quoted: set[str] = set()  # ids the narrative printed (narrative.t)

    def keep_quoted(self) -> None:
        """After rendering the narrative: the list keeps only the figures the text quotes (a figure computed for a
        sentence the data left out is not part of the report)."""
        self.items = [f for f in self.items if f.id in self.quoted]

    def rows(self, sql: str, **extra) -> list[tuple]:
        p = {**self.params, **extra}
        return self.con.execute(sql, bind(sql, p)).fetchall()

    def value(self, sql: str, **extra) -> Any:
        rows = self.rows(sql, **extra)
        return rows[0][0] if rows else None

    def add(self, fid: str, kind: str, sql: str, **extra) -> Figure | None:
        """Run a query returning one number; None (no figure, the text omits it) when the data have none."""
        p = {**self.params, **extra}
        v = self.value(sql, **extra)
        if v is None:
            return None
        v = float(v)
        f = Figure(fid, kind, v, fmt.FORMATS[kind](v), sql, bind(sql, p))
        self.items.append(f)
        self.by_id[fid] = f
        return f

    def __getitem__(self, fid: str) -> Figure:
        return self.by_id[fid]

    def get(self, fid: str) -> Figure | None:
        return self.by_id.get(fid)
