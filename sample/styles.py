"""How each generated file looks: csv or xlsx, encoding, header spelling, units, date/period forms, title and
note rows (`Style`, defined in `sample.writers`). High variety for the demo, fixed per 市州 for the province."""

from __future__ import annotations

import numpy as np

from sample.writers import SEPARATORS, YES_NO, Style


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


def titles(g: np.random.Generator, variety: str, lines: list[str]) -> tuple[str, ...]:
    k = int(g.choice([0, 1, 2], p=[0.4, 0.35, 0.25] if variety == "high" else [0.7, 0.2, 0.1]))
    return tuple(lines[:k])


def notes(st: Style, unit_text: str, extra: str) -> tuple[str, ...]:
    notes = [f"填报说明：1.金额单位为{unit_text}；2.{extra}"]
    return (*notes, "填报人：王敏　审核人：李强") if st.seq_col else tuple(notes)
