"""The HTML report in Debian's chromium: it renders (title, summary, every section, every chart image decoded) and a
full-page screenshot lands next to the board screenshots ($SME_HOME/screenshots)."""

from __future__ import annotations

import pytest

from reports import render
from reports.build import build_report
from warehouse.db import connect_serving
from warehouse.paths import Paths

pytestmark = [pytest.mark.browser]

CHROMIUM = "/usr/bin/chromium"
ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--no-first-run"]


def test_html_report_renders_in_chromium(published_sample, screenshots_dir, tmp_path):
    from playwright.sync_api import sync_playwright

    con = connect_serving(Paths(published_sample))
    try:
        report = build_report(con)
    finally:
        con.close()
    page_file = render.write(report, tmp_path, ("html",))["html"]
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=ARGS)
        try:
            page = browser.new_page(viewport={"width": 900, "height": 1200})
            errors: list[str] = []
            page.on("pageerror", lambda e: errors.append(str(e)))
            page.goto(page_file.as_uri())
            page.wait_for_load_state("load")
            assert page.title() == report.file_stem
            headings = page.locator("h2").all_inner_texts()
            assert [s.title for s in report.sections] == headings[1:]
            broken = page.evaluate(
                "() => Array.from(document.images).filter(i => !i.complete || i.naturalWidth === 0).length"
            )
            n_images = page.evaluate("() => document.images.length")
            assert n_images == sum(len(s.charts) for s in report.sections) and broken == 0
            assert report.summary[0] in page.inner_text("section.summary")
            shot = screenshots_dir / f"report_{report.file_stem}.png"
            page.screenshot(path=str(shot), full_page=True)
            assert shot.stat().st_size > 50_000
            assert not errors, errors
        finally:
            browser.close()
