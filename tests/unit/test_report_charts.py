"""The report charts' font (reports/charts.py): Chinese labels drawn in Noto Sans CJK SC, or a clear error; never a
chart of empty boxes, which matplotlib draws, with only a logged warning, when its cached font list predates the
font's installation."""

from __future__ import annotations

import json

import pytest
from matplotlib import font_manager
from matplotlib.ft2font import FT2Font

from reports import charts


def _draws_every_character(text) -> bool:
    """Whether the font file matplotlib picks for this text has a glyph for each of its characters."""
    font = FT2Font(font_manager.fontManager.findfont(text.get_fontproperties()))
    return all(font.get_char_index(ord(ch)) != 0 for ch in text.get_text() if not ch.isspace())


def test_titles_and_labels_have_glyphs_for_their_chinese_characters():
    charts._plt()
    for chart in (
        charts.bars(["武汉市", "黄石市", "十堰市"], [3.0, -1.5, 0.0], "分市州预警数量（条）", signed=True),
        charts.line(["25-01", "25-02"], [101.2, 99.4], "综合景气指数", line=100),
    ):
        fig = chart.draw()
        ax = fig.axes[0]
        assert _draws_every_character(ax.title), ax.title.get_text()
        labelled = [t for t in ax.get_xticklabels() if any("\u4e00" <= ch <= "\u9fff" for ch in t.get_text())]
        assert all(_draws_every_character(t) for t in labelled)
        assert chart.png.startswith(b"\x89PNG")


@pytest.fixture
def stale_font_list(monkeypatch, tmp_path):
    """matplotlib's font list as it is when cached before fonts-noto-cjk was installed: no CJK font in it."""
    manager = font_manager.fontManager
    monkeypatch.setattr(manager, "ttflist", [f for f in manager.ttflist if "CJK" not in f.name])
    monkeypatch.setattr("matplotlib.get_cachedir", lambda: str(tmp_path))
    manager._findfont_cached.cache_clear()  # the lookups cached with the full list
    with pytest.raises(ValueError):
        manager.findfont(font_manager.FontProperties(family=charts.FONT), fallback_to_default=False)
    yield manager
    manager._findfont_cached.cache_clear()


def test_a_stale_font_list_is_repaired_and_rewritten(stale_font_list, tmp_path):
    path = charts.ensure_cjk_font()
    assert "CJK" in path
    assert stale_font_list.findfont(font_manager.FontProperties(family=charts.FONT), fallback_to_default=False) == path
    (cache,) = tmp_path.glob("fontlist-v*.json")  # the next processes read the repaired list
    assert charts.FONT in {f["name"] for f in json.loads(cache.read_text())["ttflist"]}


def test_no_cjk_font_on_the_system_is_a_clear_error(stale_font_list, monkeypatch):
    monkeypatch.setattr(font_manager, "findSystemFonts", lambda *a, **k: [])
    with pytest.raises(RuntimeError, match="fonts-noto-cjk"):
        charts.ensure_cjk_font()


def test_a_picture_is_drawn_once_for_every_edition_that_shows_it():
    drawn: list[str] = []

    def counted(chart: charts.Chart) -> charts.Chart:
        draw = chart.draw
        chart.draw = lambda: drawn.append(chart.title) or draw()
        return chart

    def chart(values):
        return counted(charts.bars(["武汉市", "黄石市"], values, "分市州报送率（%）", line=80))

    first = chart([91.5, 78.0]).png
    again = chart([91.5, 78.0]).png  # another edition's chart object, same picture
    assert len(drawn) == 1 and again == first
    other = chart([91.5, 78.1]).png  # one value differs: drawn anew
    assert len(drawn) == 2 and other != first
    plain = counted(charts.bars(["武汉市", "黄石市"], [2.5, -3.0], "营业收入累计同比（%）")).png
    signed = counted(charts.bars(["武汉市", "黄石市"], [2.5, -3.0], "营业收入累计同比（%）", signed=True)).png
    assert len(drawn) == 4 and signed != plain  # an option is part of what it shows
