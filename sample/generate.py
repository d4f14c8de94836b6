"""Sample data: the files county bureaus, banks and the arrears office would send, written into the inbox.

    generate(out_dir, preset="demo", seed=2021, *, progress=None, n_enterprises=None, months=None) -> dict
    generate_increment(out_dir, seed=2021, *, progress=None, n_enterprises=None) -> dict

`out_dir/<source>/…` gets the files; `out_dir/_sample_expected.json` lists every deliberately injected
defect ({file, row, column, code}, `row` being the row number a person sees in Excel / the csv line) and,
per file, what the loader should count (rows_data, rows_skipped, defect_rows, file_level_code).

Presets: `demo` (≈3 000 firms, 2020-01 … 2025-12, every format variant and defect), `province`
(60 000 firms, 2021-01 … 2025-12, ≈3.6 M operating rows, clean) and `province-increment` (2026-01 for the
same firms, one more arrears ledger, a day of financing). Deterministic for a seed: same bytes and mtimes.
"""

from __future__ import annotations

import datetime as dt
import json
import time
from collections import Counter
from collections.abc import Callable
from pathlib import Path

import numpy as np
import pandas as pd

from ingest.contract import ARREARS, ENTERPRISES, FINANCING, OPERATING, REASON_CODES, SOURCES, Template
from sample.world import S_DEFECT, S_STYLE, SEEDS_DIR, Window, World, rng
from sample.writers import SEPARATORS, YES_NO, FormulaCell, Style, Written, set_mtime, write_table
from ingest.uscc import CHARSET

PRESETS = {
    "demo": {"n": 3000, "y0": 2020, "m0": 1, "months": 72, "variety": "high", "defects": True, "new_share": 0.15},
    "province": {"n": 60000, "y0": 2021, "m0": 1, "months": 60, "variety": "low", "defects": False, "new_share": 0.05},
}
INCREMENT_PERIOD = (2026, 1)
INCREMENT_FINANCING_DAY = np.datetime64("2026-01-15")
# In the province preset these 市州 send xlsx, these GBK csv, these UTF-8 with BOM (the rest plain UTF-8).
PROVINCE_XLSX = {"420700", "421300", "429004"}
PROVINCE_GBK = {"420600", "421000", "421100", "422800", "429005"}
PROVINCE_BOM = {"420500", "420900"}
EXPECTED_NAME = "_sample_expected.json"

Progress = Callable[[str], None] | None


def _sections() -> dict[str, str]:
    df = pd.read_csv(SEEDS_DIR / "ref_industry_divisions.csv", dtype=str)
    return dict(zip(df["division_code"], df["section_code"], strict=True))


# ---------------------------------------------------------------- styles
def pick_style(g: np.random.Generator, variety: str, *, allow_xlsx: bool = True, xlsx_p: float = 0.35) -> Style:
    st = Style()
    if variety == "low":
        return st
    st.fmt = "xlsx" if allow_xlsx and g.random() < xlsx_p else "csv"
    st.encoding = str(g.choice(["utf-8", "utf-8-sig", "gbk"], p=[0.4, 0.25, 0.35]))
    st.crlf = st.encoding == "gbk" or g.random() < 0.2
    st.header = str(g.choice(["zh", "fullwidth", "spaces", "colon", "en", "mixed"], p=[0.4, 0.15, 0.1, 0.15, 0.1, 0.1]))
    st.money_unit = str(g.choice(["万元", "元", "亿元"], p=[0.84, 0.11, 0.05])) if st.header != "en" else "万元"
    if st.fmt == "xlsx":
        st.date = str(g.choice(["excel", "iso", "slash", "zh", "serial"], p=[0.5, 0.15, 0.1, 0.1, 0.15]))
    else:
        st.date = str(g.choice(["iso", "slash", "zh", "compact"], p=[0.4, 0.2, 0.2, 0.2]))
    st.period = str(g.choice(["num", "dash", "zh", "dot"], p=[0.4, 0.3, 0.15, 0.15]))
    st.yes_no = YES_NO[int(g.integers(0, len(YES_NO)))]
    st.sep = SEPARATORS[int(g.integers(0, len(SEPARATORS)))]
    st.pct_sign = bool(g.random() < 0.25)
    st.thousands = bool(g.random() < 0.15) and st.money_unit != "亿元"
    st.letter_share = 0.35 if g.random() < 0.25 else 0.0
    st.blank_row = bool(g.random() < 0.15)
    st.total_row = bool(g.random() < 0.25)
    st.note_row = bool(g.random() < 0.3)
    st.seq_col = bool(g.random() < 0.25)
    st.note_sheet = st.fmt == "xlsx" and bool(g.random() < 0.2)
    return st


def _titles(g: np.random.Generator, variety: str, lines: list[str]) -> tuple[str, ...]:
    k = int(g.choice([0, 1, 2], p=[0.4, 0.35, 0.25] if variety == "high" else [0.7, 0.2, 0.1]))
    return tuple(lines[:k])


def _notes(st: Style, unit_text: str, extra: str) -> tuple[str, ...]:
    notes = [f"填报说明：1.金额单位为{unit_text}；2.{extra}"]
    return (*notes, "填报人：王敏　审核人：李强") if st.seq_col else tuple(notes)


# ---------------------------------------------------------------- the run
class Run:
    """Collects written files, per-file expectations and defects."""

    def __init__(self, out_dir: Path, seed: int, preset: str, progress: Progress):
        self.out = Path(out_dir)
        self.seed, self.preset = seed, preset
        self.progress = progress
        self.sections = _sections()
        self.files: list[dict] = []
        self.defects: list[dict] = []
        self.rows: Counter = Counter()
        self.count: Counter = Counter()

    def say(self, msg: str) -> None:
        if self.progress:
            self.progress(msg)

    def rel(self, path: Path) -> str:
        return path.relative_to(self.out).as_posix()

    def write(
        self,
        source: str,
        name: str,
        df: pd.DataFrame,
        st: Style,
        when: dt.datetime,
        *,
        edits=(),
        dups=(),
        expected: list[tuple[int, str, str]] = (),
        corrects: str | None = None,
        g: np.random.Generator | None = None,
    ) -> Written:
        template = TEMPLATES_BY_SOURCE[source]
        path = self.out / source / (name + st.suffix)
        g = g or rng(self.seed, S_STYLE, 99, len(self.files))
        w = write_table(path, template, df, st, g, self.sections, cell_edits=list(edits), duplicates=list(dups))
        set_mtime(path, when)
        rel = self.rel(path)
        pos_of = {}
        seen = set()
        dup_pos = []
        for j, i in enumerate(w.order):
            if i in seen:
                dup_pos.append(j)
            else:
                seen.add(i)
                pos_of[i] = j
        defect_rows = set()
        for i, column, code in expected:
            row = w.excel_rows[pos_of[i]]
            self.defects.append({"file": rel, "row": row, "column": column, "code": code})
            defect_rows.add(row)
        for j in dup_pos:
            row = w.excel_rows[j]
            self.defects.append({"file": rel, "row": row, "column": template.key[0], "code": "duplicate_in_file"})
            defect_rows.add(row)
        self.files.append(
            {
                "file": rel,
                "source": source,
                "format": st.fmt,
                "encoding": st.encoding if st.fmt == "csv" else None,
                "rows_data": w.rows_data,
                "rows_skipped": w.rows_skipped,
                "defect_rows": len(defect_rows),
                "file_level_code": None,
                "corrects": corrects,
            }
        )
        self.rows[source] += w.rows_data
        self.count[source] += 1
        return w

    def write_raw(
        self, source: str, name: str, data: bytes, when: dt.datetime, code: str, rows: int, column: str | None = None
    ) -> None:
        path = self.out / source / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(data)
        set_mtime(path, when)
        rel = self.rel(path)
        self.files.append(
            {
                "file": rel,
                "source": source,
                "format": path.suffix[1:],
                "encoding": None,
                "rows_data": rows,
                "rows_skipped": 0,
                "defect_rows": rows,
                "file_level_code": code,
                "corrects": None,
            }
        )
        self.defects.append({"file": rel, "row": None, "column": column, "code": code})
        self.count[source] += 1

    def finish(self, extra: dict, name: str = EXPECTED_NAME) -> dict:
        self.files.sort(key=lambda f: f["file"])
        self.defects.sort(key=lambda d: (d["file"], d["row"] or 0, d["code"]))
        doc = {"preset": self.preset, "seed": self.seed, **extra, "files": self.files, "defects": self.defects}
        (self.out / name).write_text(json.dumps(doc, ensure_ascii=False, indent=1) + "\n", encoding="utf-8")
        latest = max(
            (p.stat().st_mtime for s in SOURCES if (self.out / s).is_dir() for p in (self.out / s).iterdir()), default=0
        )
        set_mtime(self.out / name, dt.datetime.fromtimestamp(latest, dt.UTC).replace(tzinfo=None))
        codes = Counter(d["code"] for d in self.defects)
        return {
            "preset": self.preset,
            "seed": self.seed,
            **extra,
            "files": {s: self.count[s] for s in SOURCES},
            "rows": {s: self.rows[s] for s in SOURCES},
            "defects": {
                "rows": sum(1 for d in self.defects if d["row"] is not None),
                "file_level": sum(1 for d in self.defects if d["row"] is None),
                "by_code": dict(sorted(codes.items())),
            },
            "expected": str(self.out / name),
        }


TEMPLATES_BY_SOURCE: dict[str, Template] = {
    "enterprises": ENTERPRISES,
    "operating": OPERATING,
    "arrears": ARREARS,
    "financing": FINANCING,
}


# ---------------------------------------------------------------- defects
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


# ---------------------------------------------------------------- sources
def _quarter_ends(window: Window, first: str | None = None) -> list[np.datetime64]:
    out = []
    for y, m in window.periods:
        if m % 3 == 0:
            d = (np.datetime64(f"{y:04d}-{m:02d}") + np.timedelta64(1, "M")).astype("datetime64[D]") - np.timedelta64(
                1, "D"
            )
            if first is None or d >= np.datetime64(first):
                out.append(d)
    return out


def _day(d: np.datetime64) -> dt.datetime:
    return dt.datetime.fromisoformat(str(np.datetime64(d, "D")))


def write_operating(run: Run, world: World, cfg: dict, g_style_base: int = 1) -> None:
    regions = world.regions
    high = cfg["variety"] == "high"
    firms = world.firms
    years = world.window.years
    files_planned = []
    for y in years:
        months = [m for (yy, m) in world.window.periods if yy == y]
        for r, rc in enumerate(regions["region_code"]):
            idx = np.flatnonzero(
                (firms["region"] == rc).to_numpy() & (firms["start_t"].to_numpy() <= y * 12 + months[-1] - 1)
            )
            if idx.size:
                files_planned.append((y, months, r, rc, idx))
    # Defects go to a mid-sized region in the middle year (A, with a corrected resubmission) and another (B).
    target_a = target_b = None
    if cfg["defects"]:
        mid_year = years[len(years) // 2]
        cands = sorted(
            [(len(p[4]), p[2]) for p in files_planned if p[0] == mid_year and p[3] != "420100"], reverse=True
        )
        target_a = (mid_year, cands[0][1]) if cands else None
        other_year = years[max(0, len(years) // 2 - 1)] if len(years) > 1 else mid_year
        cands_b = sorted(
            [(len(p[4]), p[2]) for p in files_planned if p[0] == other_year and p[2] != (target_a or (0, -1))[1]],
            reverse=True,
        )
        target_b = (other_year, cands_b[min(1, len(cands_b) - 1)][1]) if cands_b else None
    for k, (y, months, r, rc, idx) in enumerate(files_planned):
        df = world.operating(idx, y, months)
        if df.empty:
            continue
        g = rng(run.seed, S_STYLE, g_style_base, r, y)
        rname = regions["region_name"].iat[r]
        if high:
            # xlsx only from the smaller 市州 (xlsxwriter is the slow part of generation)
            st = pick_style(g, "high", allow_xlsx=len(idx) * len(months) < 2500, xlsx_p=0.3)
        else:
            st = Style(
                fmt="xlsx" if rc in PROVINCE_XLSX else "csv",
                encoding="gbk" if rc in PROVINCE_GBK else "utf-8-sig" if rc in PROVINCE_BOM else "utf-8",
            )
            st.crlf = st.encoding == "gbk"
            st.period = "dash" if rc in PROVINCE_GBK else "num"
            st.total_row = st.note_row = rc in PROVINCE_XLSX
        span = f"{months[0]}—{months[-1]}月" if len(months) > 1 else f"{months[0]}月"
        st.titles = _titles(
            g,
            cfg["variety"],
            [
                f"湖北省中小企业运行监测月报（{y}年{span}）",
                f"填报单位：{rname}经济和信息化局　　金额单位：{st.money_unit}",
            ],
        )
        st.notes = _notes(st, st.money_unit, "累计数为1月至报告期累计数；3.问题诉求可多选。")
        if high and g.random() < 0.15:
            st.drop = ("power_use", "financing_demand")
        name = f"{rname}_中小企业运行监测月报_{y}年" + ("" if len(months) == 12 else f"{months[0]}-{months[-1]}月")
        when = dt.datetime(y + (months[-1] == 12), months[-1] % 12 + 1, 10, 9, 0) + dt.timedelta(hours=r)
        plan = None
        if target_a == (y, r):
            plan = operating_defects(df, st, rng(run.seed, S_DEFECT, 1), heavy=True)
        elif target_b == (y, r):
            st.drop = ()
            st.fmt = "xlsx"  # row numbers as Excel shows them
            plan = operating_defects(df, st, rng(run.seed, S_DEFECT, 2), heavy=False)
        w = run.write(
            "operating",
            name,
            df,
            st,
            when,
            edits=plan.edits if plan else (),
            dups=plan.dups if plan else (),
            expected=plan.expected if plan else (),
            g=g,
        )
        if plan is not None and target_a == (y, r):
            fixed = df.iloc[plan.fixed_rows].copy()
            revised = df.drop(index=df.index[plan.fixed_rows]).head(3).copy()
            revised["employees"] = revised["employees"] + 3  # a genuine revision of valid rows
            corr = pd.concat([fixed, revised], ignore_index=True)
            st2 = Style(**{**st.__dict__, "titles": (), "blank_row": False, "total_row": False, "note_row": False})
            run.write(
                "operating", name + "_更正", corr, st2, when + dt.timedelta(days=3), corrects=run.rel(w.path), g=g
            )
        if k % 20 == 0:
            run.say(f"operating: {k + 1}/{len(files_planned)} 个文件")


def write_enterprises(run: Run, world: World, cfg: dict) -> None:
    years = [world.window.y0 - 1, *world.window.years]
    high = cfg["variety"] == "high"
    target = years[-2] if len(years) > 1 else years[0]
    for y in years:
        df = world.profiles(y)
        g = rng(run.seed, S_STYLE, 2, y)
        st = pick_style(g, "high") if high else Style(encoding="gbk" if y % 2 else "utf-8", crlf=bool(y % 2))
        st.titles = _titles(g, cfg["variety"], [f"企业基本信息及年度画像（{y}年度）", "填报单位：湖北省经济和信息化厅"])
        st.notes = _notes(st, "万元", "画像年度指数据所属年度。")
        name = f"企业基本信息及年度画像_{y}年度"
        when = dt.datetime(y + 1, 3, 31, 10, 0)
        plan = enterprise_defects(df, st, rng(run.seed, S_DEFECT, 3)) if cfg["defects"] and y == target else None
        w = run.write(
            "enterprises",
            name,
            df,
            st,
            when,
            edits=plan.edits if plan else (),
            dups=plan.dups if plan else (),
            expected=plan.expected if plan else (),
            g=g,
        )
        if plan is not None:
            st2 = Style(**{**st.__dict__, "titles": (), "blank_row": False, "total_row": False, "note_row": False})
            run.write(
                "enterprises",
                name + "_更正",
                df.iloc[plan.fixed_rows],
                st2,
                when + dt.timedelta(days=5),
                corrects=run.rel(w.path),
                g=g,
            )
        run.say(f"enterprises: {y}年度 {len(df)} 行")


def write_arrears(run: Run, world: World, cfg: dict, ledgers: list[np.datetime64], only_last: bool = False) -> None:
    frames = world.arrears(ledgers)
    high = cfg["variety"] == "high"
    target = max(0, len(ledgers) - 2)  # a late (large) ledger
    for k, (d, df) in enumerate(zip(ledgers, frames, strict=True)):
        if only_last and k < len(ledgers) - 1:
            continue
        g = rng(run.seed, S_STYLE, 3, k)
        st = pick_style(g, "high") if high else Style()
        ds = str(d)
        st.titles = _titles(
            g,
            cfg["variety"],
            [
                f"拖欠中小企业账款台账（截至{ds[:4]}年{int(ds[5:7])}月{int(ds[8:10])}日）",
                "报送单位：湖北省清理拖欠中小企业账款工作专班办公室",
            ],
        )
        st.notes = _notes(st, "万元", "每期报送全部台账（含已清偿案件）。")
        plan = arrears_defects(df, st, rng(run.seed, S_DEFECT, 4)) if cfg["defects"] and k == target else None
        run.write(
            "arrears",
            f"拖欠中小企业账款台账_{ds.replace('-', '')}",
            df,
            st,
            _day(d) + dt.timedelta(days=6, hours=9),
            edits=plan.edits if plan else (),
            dups=plan.dups if plan else (),
            expected=plan.expected if plan else (),
            g=g,
        )
    run.say(f"arrears: {len(ledgers)} 期台账")


FIN_COLUMNS = [f.name for f in FINANCING.fields]


def _financing_state(df: pd.DataFrame, cut: np.datetime64) -> pd.DataFrame:
    """Each record as the provider knew it on `cut`: undecided → 审批中, not yet paid out → no 放款日期."""
    out = df.copy()
    pending = out["decided_on"].to_numpy() > cut
    out.loc[pending, "decision"] = "审批中"
    for c in ("amount_approved", "rate_pct", "guarantee_fee_pct", "refusal_reason"):
        out[c] = out[c].where(~pending, None)
    out["amount_approved"] = out["amount_approved"].astype("Int64")
    out["rate_pct"] = out["rate_pct"].astype(float)
    out["guarantee_fee_pct"] = out["guarantee_fee_pct"].astype(float)
    out["disbursed_on"] = out["disbursed_on"].where(out["disbursed_on"].to_numpy() <= cut, pd.NaT)
    return out


def write_financing(run: Run, world: World, cfg: dict) -> None:
    w0 = world.window
    first = np.datetime64(f"{w0.y0:04d}-{w0.m0:02d}-01")
    ends = _quarter_ends(w0)
    if not ends or ends[-1] < first:
        return
    all_apps = world.financing(first, ends[-1])
    high = cfg["variety"] == "high"
    sizes = []
    starts = [first] + [e + np.timedelta64(1, "D") for e in ends[:-1]]
    for s, e in zip(starts, ends, strict=True):
        sizes.append(int(((all_apps["applied_on"] >= s) & (all_apps["applied_on"] <= e)).sum()))
    target = int(np.argmax(sizes)) if cfg["defects"] else -1
    prev_changed = all_apps.iloc[0:0]
    for k, (s, e) in enumerate(zip(starts, ends, strict=True)):
        new = all_apps[(all_apps["applied_on"] >= s) & (all_apps["applied_on"] <= e)]
        df = _financing_state(pd.concat([prev_changed, new]), e).reset_index(drop=True)
        prev_changed = new[(new["decided_on"] > e) | (new["disbursed_on"] > e)]
        if df.empty:
            continue
        g = rng(run.seed, S_STYLE, 4, k)
        st = pick_style(g, "high") if high else Style()
        ds = str(e)
        y, q = int(ds[:4]), (int(ds[5:7]) - 1) // 3 + 1
        st.titles = _titles(
            g, cfg["variety"], [f"融资记录（{y}年第{q}季度）", "报送单位：湖北省地方金融工作联席办公室"]
        )
        st.notes = _notes(st, "万元", "同一记录编号状态变化时重新报送。")
        name = f"融资记录_{y}Q{q}"
        when = _day(e) + dt.timedelta(days=8, hours=10)
        plan = financing_defects(df, st, rng(run.seed, S_DEFECT, 5)) if k == target else None
        w = run.write(
            "financing",
            name,
            df[FIN_COLUMNS],
            st,
            when,
            edits=plan.edits if plan else (),
            dups=plan.dups if plan else (),
            expected=plan.expected if plan else (),
            g=g,
        )
        if plan is not None:
            st2 = Style(**{**st.__dict__, "titles": (), "blank_row": False, "total_row": False, "note_row": False})
            run.write(
                "financing",
                name + "_更正",
                df[FIN_COLUMNS].iloc[plan.fixed_rows],
                st2,
                when + dt.timedelta(days=4),
                corrects=run.rel(w.path),
                g=g,
            )
    run.say(f"financing: {len(ends)} 个季度")


def write_file_level_defects(run: Run, world: World) -> None:
    """Whole-file problems, each in its own small file."""
    last_y = world.window.years[-1]
    when = dt.datetime(last_y, 6, 1, 9, 0)
    pdf = b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n1 0 obj\n<< /Type /Catalog /Pages 2 0 R >>\nendobj\ntrailer\n<< /Root 1 0 R >>\n%%EOF\n"
    run.write_raw("operating", f"黄冈市_中小企业运行监测月报_{last_y}年_扫描件.xlsx", pdf, when, "file_unreadable", 0)
    # A bank's export with the header row left off.
    apps = world.financing(np.datetime64(f"{last_y}-04-01"), np.datetime64(f"{last_y}-04-30")).head(5)
    apps = _financing_state(apps, np.datetime64(f"{last_y}-06-30"))
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


# ---------------------------------------------------------------- API
def generate(
    out_dir: Path,
    preset: str = "demo",
    seed: int = 2021,
    *,
    progress: Progress = None,
    n_enterprises: int | None = None,
    months: int | None = None,
) -> dict:
    """Write a sample inbox; return a summary (files and rows per source, defects)."""
    if preset == "province-increment":
        return generate_increment(out_dir, seed, progress=progress, n_enterprises=n_enterprises, months=months)
    if preset not in PRESETS:
        raise ValueError(f"未知的样例规模 {preset!r}，应为 {', '.join([*PRESETS, 'province-increment'])} 之一")
    cfg = dict(PRESETS[preset])
    if n_enterprises:
        cfg["n"] = int(n_enterprises)
    if months:
        cfg["months"] = int(months)
    t0 = time.perf_counter()
    out = Path(out_dir)
    for s in SOURCES:
        (out / s).mkdir(parents=True, exist_ok=True)
    window = Window(cfg["y0"], cfg["m0"], cfg["months"])
    run = Run(out, seed, preset, progress)
    world = World(seed, cfg["n"], window, new_share=cfg["new_share"])
    run.say(
        f"样例企业 {cfg['n']} 户，报告期 {window.periods[0][0]}-{window.periods[0][1]:02d} 至 "
        f"{window.periods[-1][0]}-{window.periods[-1][1]:02d}"
    )
    write_operating(run, world, cfg)
    write_enterprises(run, world, cfg)
    write_arrears(run, world, cfg, _quarter_ends(window, "2020-09-30") or _quarter_ends(window)[-1:])
    write_financing(run, world, cfg)
    if cfg["defects"]:
        write_file_level_defects(run, world)
    p0, p1 = window.periods[0], window.periods[-1]
    summary = run.finish({"enterprises": cfg["n"], "window": [f"{p0[0]}-{p0[1]:02d}", f"{p1[0]}-{p1[1]:02d}"]})
    summary["seconds"] = round(time.perf_counter() - t0, 1)
    return summary


def generate_increment(
    out_dir: Path,
    seed: int = 2021,
    *,
    progress: Progress = None,
    n_enterprises: int | None = None,
    months: int | None = None,
    base_preset: str = "province",
) -> dict:
    """One more month (2026-01) of operating reports for the firms of `base_preset`, one more arrears ledger
    (2026-01-31, the whole ledger) and one day of financing activity (2026-01-15)."""
    cfg = dict(PRESETS[base_preset])
    if n_enterprises:
        cfg["n"] = int(n_enterprises)
    if months:
        cfg["months"] = int(months)  # must match the base run's override: the firms depend on the window
    cfg["defects"] = False
    t0 = time.perf_counter()
    out = Path(out_dir)
    window = Window(cfg["y0"], cfg["m0"], cfg["months"])
    world = World(seed, cfg["n"], window, new_share=cfg["new_share"])
    run = Run(out, seed, f"{base_preset}-increment", progress)
    y, m = INCREMENT_PERIOD
    firms = world.firms
    for r, rc in enumerate(world.regions["region_code"]):
        idx = np.flatnonzero((firms["region"] == rc).to_numpy() & (firms["start_t"].to_numpy() <= y * 12 + m - 1))
        if not idx.size:
            continue
        df = world.operating(idx, y, [m])
        st = Style(
            fmt="xlsx" if rc in PROVINCE_XLSX else "csv",
            encoding="gbk" if rc in PROVINCE_GBK else "utf-8-sig" if rc in PROVINCE_BOM else "utf-8",
        )
        st.crlf = st.encoding == "gbk"
        rname = world.regions["region_name"].iat[r]
        st.titles = (f"湖北省中小企业运行监测月报（{y}年{m}月）",)
        run.write(
            "operating",
            f"{rname}_中小企业运行监测月报_{y}年{m:02d}月",
            df,
            st,
            dt.datetime(y, m + 1, 10, 9, 0) + dt.timedelta(hours=r),
        )
    ledgers = _quarter_ends(window, "2020-09-30") + [np.datetime64(f"{y}-{m:02d}-31")]
    write_arrears(run, world, cfg, ledgers, only_last=True)
    day = INCREMENT_FINANCING_DAY
    apps = world.financing(day - np.timedelta64(60, "D"), day)
    todays = apps[(apps["applied_on"] == day) | (apps["decided_on"] == day)]
    df = _financing_state(todays, day).reset_index(drop=True)
    run.write(
        "financing",
        f"融资记录_{str(day).replace('-', '')}",
        df[FIN_COLUMNS],
        Style(),
        _day(day) + dt.timedelta(hours=20),
    )
    summary = run.finish(
        {"enterprises": cfg["n"], "window": [f"{y}-{m:02d}", f"{y}-{m:02d}"]}, name="_sample_expected_increment.json"
    )
    summary["seconds"] = round(time.perf_counter() - t0, 1)
    return summary


__all__ = ["PRESETS", "REASON_CODES", "generate", "generate_increment"]
