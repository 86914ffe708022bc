"""A real `mkdocs build` with and without sync's meta files; the sortable index in Chromium."""
from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest

from conftest import CHROMIUM, CHROMIUM_ARGS as ARGS, DATA_FOLDERS, ROOT


def copy_project(dest: Path) -> Path:
    dest.mkdir()
    shutil.copy(ROOT / "mkdocs.yml", dest)
    for folder in DATA_FOLDERS:
        if (ROOT / folder).is_dir():
            shutil.copytree(ROOT / folder, dest / folder, ignore=shutil.ignore_patterns("_meta"))
    for part in ("builder", "schema"):
        shutil.copytree(ROOT / part, dest / part, ignore=shutil.ignore_patterns("__pycache__"))
    return dest


def build(project: Path) -> Path:
    out = project / "public"
    env = {**os.environ, "PYTHONPATH": str(ROOT), "NO_MKDOCS_2_WARNING": "1"}
    proc = subprocess.run([sys.executable, "-m", "mkdocs", "build", "--strict", "-q", "-d", str(out)],
                          cwd=project, env=env, capture_output=True, text=True, timeout=600)
    assert proc.returncode == 0, proc.stderr
    return out


# Synthetic meta in the shape `mmllm sync` writes; it lives only in the temporary copy.
META = {"note": "test data", "entries": {
    "salesforce/LAVIS": {"fetched_at": "2024-06-01T00:00:00Z", "status": "ok", "full_name": "salesforce/LAVIS",
                         "stars": 111, "pushed_at": "2024-01-02T00:00:00Z", "license": None,
                         "archived": False, "html_url": None},
    "QwenLM/Qwen-VL": {"fetched_at": "2024-06-01T00:00:00Z", "status": "ok", "full_name": "QwenLM/Qwen-VL",
                       "stars": 2222, "pushed_at": "2023-05-06T00:00:00Z", "license": None,
                       "archived": True, "html_url": None}}}


@pytest.fixture(scope="module")
def built(tmp_path_factory):
    bare = build(copy_project(tmp_path_factory.mktemp("bare") / "p"))
    project = copy_project(tmp_path_factory.mktemp("meta") / "p")
    (project / "models" / "_meta").mkdir()
    (project / "models" / "_meta" / "github.json").write_text(json.dumps(META), encoding="utf-8")
    return bare, build(project)


def test_without_meta_nothing_is_shown(built):
    bare, _ = built
    index = (bare / "models" / "index.html").read_text()
    assert "Stars" not in index and "Code activity" not in (bare / "models" / "blip-2" / "index.html").read_text()


def test_with_meta_stars_and_activity_are_shown(built):
    _, site = built
    page = (site / "models" / "qwen-vl" / "index.html").read_text()
    assert "★ 2,222" in page and 'datetime="2023-05-06"' in page and "archived" in page
    index = (site / "models" / "index.html").read_text()
    assert 'data-sort-type="number">Stars</th>' in index and 'data-sort="2222"' in index
    assert "Recently active code" in (site / "whats-new" / "index.html").read_text()


def test_feeds_and_assets_are_in_the_site(built):
    _, site = built
    root = ET.parse(site / "feed.xml").getroot()
    assert root.tag == "{http://www.w3.org/2005/Atom}feed"
    assert (site / "feeds" / "i-t-to-t.xml").exists()
    assert (site / "assets" / "sortable-table.js").exists()
    page = (site / "models" / "index.html").read_text()
    assert 'type="application/atom+xml"' in page and "sortable-table.js" in page
    # self-contained: the script loads nothing from elsewhere
    js = (site / "assets" / "sortable-table.js").read_text()
    assert "http" not in js


def test_the_models_index_sorts_in_a_browser(built):
    if not Path(CHROMIUM).exists():
        pytest.skip("Debian's chromium is not installed")
    playwright = pytest.importorskip("playwright.sync_api")
    _, site = built
    with playwright.sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=ARGS)
        page = browser.new_page()
        page.goto((site / "models" / "index.html").as_uri())
        headers = page.locator("table[data-sortable] thead th")
        stars_col = [headers.nth(i).inner_text() for i in range(headers.count())].index("Stars")

        def column(i):
            return page.eval_on_selector_all(
                "table[data-sortable] tbody tr", f"rows => rows.map(r => r.cells[{i}].textContent.trim())")

        names_before = column(0)
        headers.nth(stars_col).locator("button").click()
        def stars(values):  # numbers as numbers; the blanks (no repository) must come last
            filled = [int(v.replace(",", "")) for v in values if v]
            assert values[:len(filled)] == [v for v in values if v] and len(filled) >= 3
            return filled

        ascending = stars(column(stars_col))
        assert ascending == sorted(ascending) and ascending[-1] == 2222
        assert headers.nth(stars_col).get_attribute("aria-sort") == "ascending"
        headers.nth(stars_col).locator("button").click()
        descending = stars(column(stars_col))
        assert descending == sorted(ascending, reverse=True)
        headers.nth(0).locator("button").click()
        assert column(0) == sorted(names_before, key=str.casefold)
        date_col = 1
        headers.nth(date_col).locator("button").click()
        dates = column(date_col)
        assert dates == sorted(dates)
        browser.close()
