"""Charts with matplotlib (Agg), font Noto Sans CJK SC, minus sign as a plain hyphen (axes.unicode_minus False):
PNG bytes, embedded in the HTML/PDF as base64 and in the DOCX as pictures.

A chart is drawn when a format first asks for its picture, once: building a report for its figures and text
(a check of every 市州 edition, the default-month rule) draws none. Drawing is most of building a report, and the
18 editions of a month repeat charts (on the test sample, 2026-12-01: 238 charts, 166 of them distinct): a
picture is kept by what it shows (kind, labels, values, title, options) and drawn once per process for all
editions and formats.
"""

from __future__ import annotations

import base64
import io
from collections import OrderedDict
from collections.abc import Callable, Hashable
from dataclasses import dataclass, field
from functools import cached_property
from pathlib import Path

_ready = False
COLOR = "#1f5fa8"
NEG = "#c0392b"
FONT = "Noto Sans CJK SC"


def _plt():
    global _ready
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    if not _ready:
        ensure_cjk_font()
        plt.rcParams["font.family"] = [FONT]
        plt.rcParams["axes.unicode_minus"] = False
        plt.rcParams["font.size"] = 9
        plt.rcParams["axes.spines.top"] = False
        plt.rcParams["axes.spines.right"] = False
        _ready = True
    return plt


def ensure_cjk_font() -> str:
    """The file of the charts' font, or a clear error: never a chart of empty boxes (豆腐块).

    matplotlib finds fonts through a list it caches on first use (~/.cache/matplotlib/fontlist-*.json); when it
    first ran before fonts-noto-cjk was installed, the list lacks the font and every Chinese label is drawn as
    boxes with only a warning in a log. So: look the font up without falling back; if it is missing, add the
    system's font files that the list does not know and rewrite the cached list (for the next processes); if it is
    still missing, stop with the Debian package to install.
    """
    import matplotlib
    from matplotlib import font_manager

    manager = font_manager.fontManager

    def lookup() -> str | None:
        try:
            return manager.findfont(font_manager.FontProperties(family=FONT), fallback_to_default=False)
        except ValueError:
            return None

    found = lookup()
    if found is None:
        known = {f.fname for f in manager.ttflist}
        for path in font_manager.findSystemFonts():
            if path not in known:
                try:
                    manager.addfont(path)
                except (OSError, RuntimeError):  # a file FreeType cannot read: matplotlib skips it too
                    continue
        found = lookup()
        if found is not None:
            cache = Path(matplotlib.get_cachedir()) / f"fontlist-v{font_manager.FontManager.__version__}.json"
            font_manager.json_dump(manager, cache)  # a cache folder not writable: matplotlib logs it and goes on
    if found is None:
        raise RuntimeError(
            f"报告图表所需字体 {FONT} 未安装：请安装 Debian 包 fonts-noto-cjk（apt-get install fonts-noto-cjk）。"
            f" The report charts need the font {FONT} (Debian package fonts-noto-cjk); matplotlib found no such font."
        )
    return found


# The pictures drawn in this process, by what they show; the oldest are dropped beyond PICTURES_KEPT (a month's 18
# editions draw ≈ 170 distinct charts of ≈ 40 KB each).
PICTURES_KEPT = 512
_pictures: OrderedDict[Hashable, bytes] = OrderedDict()


@dataclass
class Chart:
    title: str
    draw: Callable[[], object] = field(repr=False)  # makes the matplotlib figure
    shows: Hashable = None  # everything draw() depends on; None: not shared

    @cached_property
    def png(self) -> bytes:
        if self.shows is not None and self.shows in _pictures:
            _pictures.move_to_end(self.shows)
            return _pictures[self.shows]
        plt = _plt()
        fig = self.draw()
        buf = io.BytesIO()
        fig.tight_layout()
        fig.savefig(buf, format="png", dpi=120)
        plt.close(fig)
        png = buf.getvalue()
        if self.shows is not None:
            _pictures[self.shows] = png
            while len(_pictures) > PICTURES_KEPT:
                _pictures.popitem(last=False)
        return png

    @property
    def data_uri(self) -> str:
        return "data:image/png;base64," + base64.b64encode(self.png).decode()


def line(
    labels: list[str],
    values: list[float | None],
    title: str,
    line: float | None = None,
    zero: bool = False,
    second: list[float | None] | None = None,
    second_label: str = "",
) -> Chart:
    labels, values, second = list(labels), list(values), None if second is None else list(second)

    def draw():
        fig, ax = _plt().subplots(figsize=(6.2, 2.6))
        nan = float("nan")
        ax.plot(labels, [nan if v is None else v for v in values], marker="o", color=COLOR, lw=1.8, label=title)
        if second is not None:
            ax.plot(
                labels,
                [nan if v is None else v for v in second],
                marker="s",
                color="#e67e22",
                lw=1.5,
                label=second_label,
            )
            ax.legend(frameon=False, fontsize=8)
        if line is not None:
            ax.axhline(line, color="#888", ls="--", lw=1)
        if zero:
            ax.axhline(0, color="#888", lw=0.8)
        ax.set_title(title, fontsize=10)
        ax.tick_params(axis="x", labelsize=7, rotation=0)
        ax.grid(axis="y", alpha=0.3)
        return fig

    shows = (
        "line",
        tuple(labels),
        tuple(values),
        title,
        line,
        zero,
        None if second is None else tuple(second),
        second_label,
    )
    return Chart(title, draw, shows)


def bars(
    labels: list[str],
    values: list[float],
    title: str,
    line: float | None = None,
    signed: bool = False,
    horizontal: bool = False,
) -> Chart:
    labels = list(labels)
    values = [0.0 if v is None else float(v) for v in values]
    colors = [NEG if (signed and v < 0) else COLOR for v in values]

    def draw():
        plt = _plt()
        if horizontal:
            fig, ax = plt.subplots(figsize=(6.2, 0.45 * max(len(labels), 2) + 0.9))
            ax.barh(labels[::-1], values[::-1], color=colors[::-1])
            if line is not None:
                ax.axvline(line, color="#888", ls="--", lw=1)
            ax.grid(axis="x", alpha=0.3)
        else:
            fig, ax = plt.subplots(figsize=(6.2, 2.8))
            ax.bar(labels, values, color=colors)
            if line is not None:
                ax.axhline(line, color="#888", ls="--", lw=1)
                lo = min(values + [line])
                ax.set_ylim(max(0, lo - 15), max(values + [line]) + 10)
            if signed:
                ax.axhline(0, color="#888", lw=0.8)
            ax.tick_params(axis="x", labelsize=7, rotation=45 if len(labels) > 6 else 0)
            for lab in ax.get_xticklabels():
                lab.set_horizontalalignment("right" if len(labels) > 6 else "center")
            ax.grid(axis="y", alpha=0.3)
        ax.set_title(title, fontsize=10)
        return fig

    return Chart(title, draw, ("bars", tuple(labels), tuple(values), title, line, signed, horizontal))
