"""The real site: `mkdocs build --strict`, then compare/ in headless Chromium.

Chromium is Debian's /usr/bin/chromium driven by the `playwright` package; the site is served
from a local http.server on 127.0.0.1 and every request that would leave it is blocked and
reported as a failure.
"""
from __future__ import annotations

import re
from urllib.parse import urlsplit

import pytest

from conftest import ROOT, served


def test_view_pages_built(built_site):
    for page in ("index.html", "taxonomy/index.html", "timeline/index.html",
                 "trends/index.html", "compare/index.html"):
        assert (built_site / page).is_file(), page
    home = (built_site / "index.html").read_text(encoding="utf-8")
    assert 'href="benchmarks/"' in home and 'href="timeline/"' in home
    timeline = (built_site / "timeline/index.html").read_text(encoding="utf-8")
    assert '<svg xmlns="http://www.w3.org/2000/svg"' in timeline and "mm-timeline-title" in timeline
    trends = (built_site / "trends/index.html").read_text(encoding="utf-8")
    assert trends.count('class="mm-chart-table"') == 5
    assert (built_site / "assets/compare.js").is_file()


def open_page(chromium_browser, site_server, js=True):
    context = chromium_browser.new_context(java_script_enabled=js)
    outside: list[str] = []
    errors: list[str] = []

    def guard(route):
        if urlsplit(route.request.url).hostname == "127.0.0.1":
            route.continue_()
        else:
            outside.append(route.request.url)
            route.abort()
    context.route("**/*", guard)
    page = context.new_page()
    page.on("pageerror", lambda exc: errors.append(str(exc)))
    page.on("console", lambda msg: errors.append(msg.text) if msg.type == "error" else None)
    return context, page, outside, errors


def grid(page):
    """(model names, [(row label, has mm-diff, cell texts)]) of the comparison table."""
    names = page.locator("table.mm-compare-grid thead th a").all_inner_texts()
    rows = page.eval_on_selector_all("table.mm-compare-grid tbody tr", """rows => rows.map(r => [
        r.querySelector('th').firstChild.textContent, r.classList.contains('mm-diff'),
        Array.from(r.querySelectorAll('td')).map(td => td.textContent)])""")
    return names, rows


def differs(cells: list[str]) -> bool:
    """Whether two known values of a compare row differ: for a score its number, else the text."""
    known = [c.strip().lower() for c in cells if c.strip().lower() not in ("—", "unknown", "not reported")]
    if known and all(re.match(r"[\d.]+(\s|$)", c) for c in known):
        known = [float(c.split()[0]) for c in known]
    return len(set(known)) > 1


def test_compare_by_name_and_alias_in_chromium(chromium_browser, site_server):
    context, page, outside, errors = open_page(chromium_browser, site_server)
    try:
        page.goto(f"{site_server}/compare/?m=llava-1.5,qwen2.5-vl")  # names, not ids
        page.wait_for_selector("table.mm-compare-grid")
        names, rows = grid(page)
        assert names == ["LLaVA-1.5", "Qwen2.5-VL"]
        assert page.url.endswith("/compare/?m=llava-1-5,qwen2-5-vl")
        assert page.inner_text("#mm-compare-status") == ""  # nothing refused
        by = {label: (diff, cells) for label, diff, cells in rows}
        # one best score per model and benchmark, never a list of them
        assert all(";" not in cell for _diff, cells in by.values() for cell in cells)
        mmmu = by["MMMU (accuracy)"][1]
        assert all(re.fullmatch(r"[\d.]+ \(.*\)( · best of \d+)?", c) for c in mmmu), mmmu
        assert all(diff == differs(cells) for diff, cells in by.values())
        # a benchmark only one of them has is not marked
        assert any("—" in cells and not diff for diff, cells in by.values())
        assert not errors and not outside
    finally:
        context.close()


def test_compare_in_chromium(chromium_browser, site_server):
    context, page, outside, errors = open_page(chromium_browser, site_server)
    try:
        page.goto(f"{site_server}/compare/?m=llava,blip-2")
        page.wait_for_selector("table.mm-compare-grid")
        names, rows = grid(page)
        assert names == ["LLaVA", "BLIP-2"]
        # highlighted exactly where two known values differ, and some do
        assert rows and all(diff == differs(cells) for _label, diff, cells in rows)
        assert any(diff for _label, diff, _cells in rows)
        assert any(label == "Input Projector" and diff for label, diff, _c in rows)

        # add a model with the search box: the URL follows
        page.fill("#mm-compare-search", "NExT-GPT")
        page.press("#mm-compare-search", "Enter")
        page.wait_for_function("document.querySelectorAll('table.mm-compare-grid thead th a').length === 3")
        assert page.url.endswith("/compare/?m=llava,blip-2,next-gpt")
        names, rows = grid(page)
        assert names == ["LLaVA", "BLIP-2", "NExT-GPT"]
        io_row = next(r for r in rows if r[0] == "I→O")
        assert io_row[1] and io_row[2][2] == "I+V+A+T → I+V+A+T"
        assert "added" in page.inner_text("#mm-compare-status")

        # an unknown name is refused with a message, the URL stays
        page.fill("#mm-compare-search", "No Such Model")
        page.press("#mm-compare-search", "Enter")
        assert "No model called" in page.inner_text("#mm-compare-status")
        assert page.url.endswith("?m=llava,blip-2,next-gpt")

        # remove one; the URL follows; back restores it
        page.click("button[aria-label='Remove BLIP-2']")
        assert page.url.endswith("?m=llava,next-gpt")
        assert grid(page)[0] == ["LLaVA", "NExT-GPT"]
        page.go_back()
        page.wait_for_function("document.querySelectorAll('table.mm-compare-grid thead th a').length === 3")

        # the shared URL reproduces the same view in a fresh page
        shared = page.url
        other = context.new_page()
        other.goto(shared)
        other.wait_for_selector("table.mm-compare-grid")
        assert grid(other) == grid(page)
        assert not errors, errors
        assert not outside, f"requests left 127.0.0.1: {outside}"
    finally:
        context.close()


def test_compare_without_javascript(chromium_browser, site_server):
    context, page, outside, _errors = open_page(chromium_browser, site_server, js=False)
    try:
        page.goto(f"{site_server}/compare/?m=llava,blip-2")
        note = page.locator("#mm-compare noscript, #mm-compare .mm-note")
        assert "needs JavaScript" in page.content()
        assert page.locator("#mm-compare-form").is_hidden()
        assert page.locator("a[href='../models/']").count() >= 1
        assert note.count() >= 1
        assert not outside
    finally:
        context.close()


def test_timeline_links_work(chromium_browser, site_server):
    context, page, outside, errors = open_page(chromium_browser, site_server)
    try:
        page.goto(f"{site_server}/timeline/")
        link = page.locator("svg.mm-svg a[role='listitem']").first
        href = link.get_attribute("href")
        link.click()
        page.wait_for_load_state()
        assert page.url.endswith(href.removeprefix(".."))
        assert page.locator("h1").count() == 1
        assert not errors and not outside
    finally:
        context.close()


@pytest.fixture(scope="module")
def fixture_server(tmp_path_factory):
    """compare.js on the made-up records (scores, and a name that looks like markup)."""
    from builder.pages.views import compare_page
    from views_data import fixture_models
    root = tmp_path_factory.mktemp("fixture-site")
    page = compare_page(fixture_models())
    body = page[page.index('<div id="mm-compare"'):]
    (root / "compare").mkdir()
    (root / "compare" / "index.html").write_text(
        f'<!doctype html><html lang="en"><head><meta charset="utf-8"><title>Compare</title>'
        # no favicon request: its 404 would reach the console errors this test checks, late or not
        f'<link rel="icon" href="data:,"></head>'
        f"<body>{body}</body></html>", encoding="utf-8")
    (root / "assets").mkdir()
    (root / "assets" / "compare.js").write_bytes((ROOT / "site" / "assets" / "compare.js").read_bytes())

    with served(root) as url:
        yield url


def test_compare_scores_and_text_in_chromium(chromium_browser, fixture_server):
    context, page, outside, errors = open_page(chromium_browser, fixture_server)
    try:
        page.goto(f"{fixture_server}/compare/?m=alpha-vl,beta-chat")
        page.wait_for_selector("table.mm-compare-grid")
        names, rows = grid(page)
        assert names == ["Alpha-VL", "Beta <Chat> & Co"]  # shown as text, not markup
        assert page.locator("#mm-compare chat").count() == 0
        by = {label: (diff, cells) for label, diff, cells in rows}
        # the best score of each model, and how many it has
        assert by["GQA (accuracy)"] == (True, ["50.0 (7B) · best of 2", "41.0"])
        # a score one model lacks, or a value nobody reported, is not a difference
        assert by["VQA v2.0 (VQA accuracy)"] == (False, ["—", "60.0 (zero-shot)"])
        assert by["MM pre-training data"] == (False, ["not reported", "not reported"])
        assert by["Open weights"] == (True, ["yes", "no"])
        assert by["Design division"] == (False, ["End-to-end", "End-to-end"])
        # aliases and ids are found by the search box too; at most four models
        for name in ("gamma-video", "Delta-Audio"):
            page.fill("#mm-compare-search", name)
            page.press("#mm-compare-search", "Enter")
        assert page.url.endswith("?m=alpha-vl,beta-chat,gamma-video,delta-audio")
        assert page.locator("#mm-compare-search").is_disabled()
        # a shared address may name models by alias or name, in any case: read as their ids
        page.goto(f"{fixture_server}/compare/?m=gamma-v,BETA%20%3CCHAT%3E%20%26%20CO")
        page.wait_for_selector("table.mm-compare-grid")
        assert grid(page)[0] == ["Gamma-Video", "Beta <Chat> & Co"]
        assert page.url.endswith("/compare/?m=gamma-video,beta-chat")
        page.fill("#mm-compare-search", "alpha-vl")  # an id in the box
        page.press("#mm-compare-search", "Enter")
        assert page.url.endswith("?m=gamma-video,beta-chat,alpha-vl")
        # unknown ids in a shared URL are reported, known ones kept
        page.goto(f"{fixture_server}/compare/?m=nope,theta-unknown")
        page.wait_for_selector("table.mm-compare-grid")
        assert grid(page)[0] == ["Theta"]
        assert "nope" in page.inner_text("#mm-compare-status")
        assert not errors, errors
        assert not outside
    finally:
        context.close()
