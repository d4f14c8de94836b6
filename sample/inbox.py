"""The inbox being written: every file goes through `Run.write`, which records what the loader should count
(rows_data, rows_skipped, defect_rows, file_level_code) and every injected defect at the row a person sees;
`Run.finish` writes `_sample_expected.json`."""

from __future__ import annotations

import datetime as dt
import json
from collections import Counter
from collections.abc import Callable
from pathlib import Path

import numpy as np
import pandas as pd

from ingest.contract import ARREARS, ENTERPRISES, FINANCING, OPERATING, SOURCES, Template
from sample.world import S_STYLE, SEEDS_DIR, rng
from sample.writers import Style, Written, set_mtime, write_table

Progress = Callable[[str], None] | None
EXPECTED_NAME = "_sample_expected.json"


def industry_sections() -> dict[str, str]:
    df = pd.read_csv(SEEDS_DIR / "ref_industry_divisions.csv", dtype=str)
    return dict(zip(df["division_code"], df["section_code"], strict=True))


class Run:
    """Collects written files, per-file expectations and defects."""

    def __init__(self, out_dir: Path, seed: int, preset: str, progress: Progress):
        self.out = Path(out_dir)
        self.seed, self.preset = seed, preset
        self.progress = progress
        self.sections = industry_sections()
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
