"""Charts with matplotlib (Agg), font Noto Sans CJK SC, minus sign as a plain hyphen (axes.unicode_minus False):
PNG bytes, embedded in the HTML/PDF as base64 and in the DOCX as pictures.

A chart is drawn when a format first asks for its picture, once: building a report for its figures and text
(a check of every 市州 edition, the default-month rule) draws none; drawing is ≈ 60 % of building a report.
"""

from __future__ import annotations

import base64
import io
from collections.abc import Callable
from dataclasses import dataclass, field
from functools import cached_property

_ready = False
COLOR = "#1f5fa8"
NEG = "#c0392b"


def _plt():
    global _ready
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    if not _ready:
        plt.rcParams["font.family"] = ["Noto Sans CJK SC"]
        plt.rcParams["axes.unicode_minus"] = False
        plt.rcParams["font.size"] = 9
        plt.rcParams["axes.spines.top"] = False
        plt.rcParams["axes.spines.right"] = False
        _ready = True
    return plt


@dataclass
class Chart:
    title: str
    draw: Callable[[], object] = field(repr=False)  # makes the matplotlib figure

    @cached_property
    def png(self) -> bytes:
        plt = _plt()
        fig = self.draw()
        buf = io.BytesIO()
        fig.tight_layout()
        fig.savefig(buf, format="png", dpi=120)
        plt.close(fig)
        return buf.getvalue()

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

    return Chart(title, draw)


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

    return Chart(title, draw)
