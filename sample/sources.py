"""One writer per source: which files a reporting unit sends for the world's tables (per 市州 and year, per
ledger date, per quarter), in which style, with which defects and corrected resubmissions."""

from __future__ import annotations

import datetime as dt

import numpy as np
import pandas as pd

from ingest.contract import FINANCING
from sample.defects import arrears_defects, enterprise_defects, financing_defects, operating_defects
from sample.inbox import Run
from sample.styles import notes, pick_style, titles
from sample.world import S_DEFECT, S_STYLE, Window, World, rng
from sample.world.financing import financing_state
from sample.writers import Style

# In the province preset these 市州 send xlsx, these GBK csv, these UTF-8 with BOM (the rest plain UTF-8).
PROVINCE_XLSX = {"420700", "421300", "429004"}
PROVINCE_GBK = {"420600", "421000", "421100", "422800", "429005"}
PROVINCE_BOM = {"420500", "420900"}


def quarter_ends(window: Window, first: str | None = None) -> list[np.datetime64]:
    out = []
    for y, m in window.periods:
        if m % 3 == 0:
            d = (np.datetime64(f"{y:04d}-{m:02d}") + np.timedelta64(1, "M")).astype("datetime64[D]") - np.timedelta64(
                1, "D"
            )
            if first is None or d >= np.datetime64(first):
                out.append(d)
    return out


def day_start(d: np.datetime64) -> dt.datetime:
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
        st.titles = titles(
            g,
            cfg["variety"],
            [
                f"湖北省中小企业运行监测月报（{y}年{span}）",
                f"填报单位：{rname}经济和信息化局　　金额单位：{st.money_unit}",
            ],
        )
        st.notes = notes(st, st.money_unit, "累计数为1月至报告期累计数；3.问题诉求可多选。")
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
        st.titles = titles(g, cfg["variety"], [f"企业基本信息及年度画像（{y}年度）", "填报单位：湖北省经济和信息化厅"])
        st.notes = notes(st, "万元", "画像年度指数据所属年度。")
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
        st.titles = titles(
            g,
            cfg["variety"],
            [
                f"拖欠中小企业账款台账（截至{ds[:4]}年{int(ds[5:7])}月{int(ds[8:10])}日）",
                "报送单位：湖北省清理拖欠中小企业账款工作专班办公室",
            ],
        )
        st.notes = notes(st, "万元", "每期报送全部台账（含已清偿案件）。")
        plan = arrears_defects(df, st, rng(run.seed, S_DEFECT, 4)) if cfg["defects"] and k == target else None
        run.write(
            "arrears",
            f"拖欠中小企业账款台账_{ds.replace('-', '')}",
            df,
            st,
            day_start(d) + dt.timedelta(days=6, hours=9),
            edits=plan.edits if plan else (),
            dups=plan.dups if plan else (),
            expected=plan.expected if plan else (),
            g=g,
        )
    run.say(f"arrears: {len(ledgers)} 期台账")


FIN_COLUMNS = [f.name for f in FINANCING.fields]


def write_financing(run: Run, world: World, cfg: dict) -> None:
    w0 = world.window
    first = np.datetime64(f"{w0.y0:04d}-{w0.m0:02d}-01")
    ends = quarter_ends(w0)
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
        df = financing_state(pd.concat([prev_changed, new]), e).reset_index(drop=True)
        prev_changed = new[(new["decided_on"] > e) | (new["disbursed_on"] > e)]
        if df.empty:
            continue
        g = rng(run.seed, S_STYLE, 4, k)
        st = pick_style(g, "high") if high else Style()
        ds = str(e)
        y, q = int(ds[:4]), (int(ds[5:7]) - 1) // 3 + 1
        st.titles = titles(g, cfg["variety"], [f"融资记录（{y}年第{q}季度）", "报送单位：湖北省地方金融工作联席办公室"])
        st.notes = notes(st, "万元", "同一记录编号状态变化时重新报送。")
        name = f"融资记录_{y}Q{q}"
        when = day_start(e) + dt.timedelta(days=8, hours=10)
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
