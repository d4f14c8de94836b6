"""Defect injection, apart from generation: which rows of a generated table get which error (one code, one column
per row) and the whole-file problems (an unreadable file, a missing header, a missing column).

Each plan draws from its own stream (`S_DEFECT`), so injecting defects never shifts the generated data.
"""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING

import numpy as np
import pandas as pd

from ingest.contract import ARREARS
from ingest.uscc import CHARSET
from sample.world.financing import financing_state
from sample.writers import FormulaCell, Style

if TYPE_CHECKING:
    from sample.inbox import Run
    from sample.world import World


def _money_cell(cents: int, st: Style) -> object:
    if st.money_unit == "元":
        v: object = int(cents) * 100
    elif st.money_unit == "亿元":
        v = round(cents / 1_000_000, 6)
    else:
        v = round(cents / 100, 2)
    if st.thousands:
        return f"{v:,}" if st.money_unit == "元" else f"{v:,.2f}"
    return v


def _date_cell(text_iso: str, st: Style) -> str:
    """An impossible date written in the file's date style."""
    y, m, d = text_iso.split("-")
    return {"slash": f"{y}/{int(m)}/{int(d)}", "zh": f"{y}年{int(m)}月{int(d)}日", "compact": f"{y}{m}{d}"}.get(
        st.date, text_iso
    )


def _period_cell(y: int, m: int, st: Style) -> object:
    return {"num": f"{y}{m:02d}", "dash": f"{y}-{m:02d}", "zh": f"{y}年{m}月", "dot": f"{y}.{m:02d}"}[st.period]


def _bad_uscc(code: str, g: np.random.Generator) -> str:
    pos = int(g.integers(8, 17))
    options = [c for c in CHARSET if c != code[pos]]
    return code[:pos] + options[int(g.integers(0, len(options)))] + code[pos + 1 :]


class DefectPlan:
    """Row-level defects for one file: each makes exactly one error (one code, one column) on its row."""

    def __init__(self, df: pd.DataFrame, g: np.random.Generator):
        self.df, self.g = df, g
        self.used: set[int] = set()
        self.edits: list[tuple[int, str, object]] = []
        self.expected: list[tuple[int, str, str]] = []
        self.dups: list[tuple[int, int]] = []

    def row(self, mask: np.ndarray | None = None) -> int | None:
        ok = np.ones(len(self.df), dtype=bool) if mask is None else np.asarray(mask, dtype=bool).copy()
        ok[list(self.used)] = False
        cand = np.flatnonzero(ok)
        if cand.size == 0:
            return None
        i = int(cand[self.g.integers(0, cand.size)])
        self.used.add(i)
        return i

    def add(self, code: str, column: str, value: object, mask=None, also: dict | None = None) -> int | None:
        i = self.row(mask)
        if i is None:
            return None
        self.edits.append((i, column, value(i) if callable(value) else value))
        for c, v in (also or {}).items():
            self.edits.append((i, c, v(i) if callable(v) else v))
        self.expected.append((i, column, code))
        return i

    def duplicate(self) -> None:
        n = len(self.df)
        if n < 3:
            return
        src = self.row()
        if src is None:
            return
        later = [j for j in range(src + 1, n)]
        after = later[int(self.g.integers(0, len(later)))] if later else src
        self.dups.append((src, after))

    @property
    def fixed_rows(self) -> list[int]:
        return sorted({i for i, _, _ in self.expected})


def operating_defects(df: pd.DataFrame, st: Style, g: np.random.Generator, heavy: bool) -> DefectPlan:
    p = DefectPlan(df, g)
    if heavy:
        p.add("required_missing", "uscc", None)
        p.add("uscc_invalid", "uscc", lambda i: _bad_uscc(df["uscc"].iat[i], g))
        p.add("not_a_number", "revenue_month", "暂无")
        p.add("period_invalid", "period", lambda i: _period_cell(int(df["period"].iat[i]) // 100, 13, st))
        p.add("period_future", "period", lambda i: _period_cell(2035, int(df["period"].iat[i]) % 100, st))
        p.add("enum_invalid", "sent_overall", "较好")
        p.add("out_of_range", "capacity_utilisation_pct", "130%" if st.pct_sign else 130)
        p.add(
            "inconsistent",
            "main_revenue_ytd",
            lambda i: _money_cell(int(df["revenue_ytd"].iat[i]) + max(100, int(df["revenue_ytd"].iat[i]) // 10), st),
        )
        p.duplicate()
    else:
        p.add("not_a_number", "employees", lambda i: f"约{int(df['employees'].iat[i])}人")
        p.add("out_of_range", "vacancies", -3)
        p.add("enum_invalid", "sent_funding", "偏紧")
        p.add("inconsistent", "receivables_overdue", lambda i: _money_cell(int(df["receivables"].iat[i]) + 1000, st))
        if "power_use" not in st.drop and st.fmt == "xlsx":
            p.add("formula_no_value", "power_use", FormulaCell("=T3*1.1"))  # the same row a csv gets "—" on
        elif "power_use" not in st.drop:
            p.add("not_a_number", "power_use", "—")
    return p


def enterprise_defects(df: pd.DataFrame, st: Style, g: np.random.Generator) -> DefectPlan:
    p = DefectPlan(df, g)
    p.add("required_missing", "name", None)
    titled = (df["current_title"] != "无").to_numpy()
    if titled.any():
        p.add("required_missing", "title_year", None, mask=titled)
    else:
        p.add("required_missing", "title_year", None, also={"current_title": "创新型"})
    p.add("uscc_invalid", "uscc", lambda i: _bad_uscc(df["uscc"].iat[i], g))
    p.add("division_unknown", "division_code", "430100")
    p.add("industry_unknown", "industry_code", "9910")
    p.add("not_a_date", "founded_on", _date_cell("2015-02-30", st))
    p.add("enum_invalid", "current_title", "省级专精特新")
    p.add("out_of_range", "digital_level", 5)
    p.add("inconsistent", "ip_class1_self", lambda i: int(df["ip_class1"].iat[i]) + 2)
    p.duplicate()
    return p


def arrears_defects(df: pd.DataFrame, st: Style, g: np.random.Generator) -> DefectPlan:
    p = DefectPlan(df, g)
    p.add("uscc_invalid", "creditor_uscc", lambda i: _bad_uscc(df["creditor_uscc"].iat[i], g))
    p.add("required_missing", "debtor_name", None)
    p.add("not_a_date", "accepted_on", _date_cell("2022-02-29", st))
    p.add(
        "inconsistent", "repaid", lambda i: _money_cell(int(df["amount"].iat[i]) + 10000, st), also={"status": "诉讼中"}
    )
    unpaid = (df["repaid"] == 0).to_numpy()
    if unpaid.any():
        p.add("inconsistent", "status", "已清偿", mask=unpaid)
    else:
        p.add("inconsistent", "status", "未清偿")
    p.add("enum_invalid", "debtor_type", "国企")
    p.add("out_of_range", "agreed_term_days", -30)
    p.duplicate()
    return p


def financing_defects(df: pd.DataFrame, st: Style, g: np.random.Generator) -> DefectPlan:
    p = DefectPlan(df, g)
    p.add("required_missing", "applied_on", None)
    p.add("not_a_number", "amount_applied", "五十万")
    p.add("enum_invalid", "decision", "通过")
    p.add("out_of_range", "rate_pct", "45%" if st.pct_sign else 45, mask=df["rate_pct"].notna().to_numpy())
    p.add(
        "inconsistent",
        "amount_approved",
        lambda i: _money_cell(int(df["amount_applied"].iat[i]) + 1000, st),
        mask=(df["decision"] == "获批").to_numpy(),
    )
    p.add("not_a_date", "disbursed_on", _date_cell("2021-09-31", st))
    p.duplicate()
    return p


def write_file_level_defects(run: Run, world: World) -> None:
    """Whole-file problems, each in its own small file."""
    last_y = world.window.years[-1]
    when = dt.datetime(last_y, 6, 1, 9, 0)
    pdf = b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n1 0 obj\n<< /Type /Catalog /Pages 2 0 R >>\nendobj\ntrailer\n<< /Root 1 0 R >>\n%%EOF\n"
    run.write_raw("operating", f"黄冈市_中小企业运行监测月报_{last_y}年_扫描件.xlsx", pdf, when, "file_unreadable", 0)
    # A bank's export with the header row left off.
    apps = world.financing(np.datetime64(f"{last_y}-04-01"), np.datetime64(f"{last_y}-04-30")).head(5)
    apps = financing_state(apps, np.datetime64(f"{last_y}-06-30"))
    lines = []
    for _, r in apps.iterrows():
        cells = [
            r["record_id"] + "B",
            r["uscc"],
            r["channel"],
            r["provider"],
            r["provider_type"],
            r["guarantor"] if isinstance(r["guarantor"], str) else "",
            str(r["applied_on"].date()),
            f"{r['amount_applied'] / 100:.2f}",
            r["decision"],
        ]
        lines.append(",".join(cells))
    lines = lines or ["RZ0000,91420100MA4K00010R,信用贷款,湖北银行,城商行农商行,,2025-04-01,50.00,审批中"]
    run.write_raw(
        "financing",
        f"某农商行_融资记录_{last_y}年4月_无表头.csv",
        ("\n".join(lines) + "\n").encode("utf-8"),
        when,
        "header_not_found",
        len(lines),
    )
    # A county's ledger extract without the required 债务人名称 column.
    cut = np.datetime64(f"{last_y}-03-31")
    ledger = world.arrears([cut])[0].head(5)
    fields = [f for f in ARREARS.fields if f.name != "debtor_name"]
    rows = [",".join(f.header for f in fields)]
    for _, r in ledger.iterrows():
        vals = []
        for f in fields:
            v = r[f.name]
            if v is None or (not isinstance(v, str) and pd.isna(v)):
                vals.append("")
            elif f.money:
                vals.append(f"{v / 100:.2f}")
            elif isinstance(v, pd.Timestamp | np.datetime64):
                vals.append(str(pd.Timestamp(v).date()))
            elif isinstance(v, bool | np.bool_):
                vals.append("是" if v else "否")
            else:
                vals.append(str(v))
        rows.append(",".join(vals))
    run.write_raw(
        "arrears",
        f"拖欠中小企业账款台账_{last_y}0331_区县汇总_缺列.csv",
        ("\n".join(rows) + "\n").encode("utf-8"),
        when,
        "column_missing",
        len(rows) - 1,
        column="debtor_name",
    )
