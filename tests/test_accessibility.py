"""axe-core (vendored, tests/vendor/axe-core) over the built site in headless Chromium.

The site is built with a real `mkdocs build --strict` and served from a local HTTP server;
every page type is checked in the light and the dark colour scheme. No serious or critical
violation is allowed.
"""
from __future__ import annotations

import json
from pathlib import Path

import pytest

from conftest import CHROMIUM

VENDOR = Path(__file__).parent / "vendor" / "axe-core"
PAGES = ["", "models/", "models/llava/", "models/next-gpt/", "taxonomy/", "about/",
         "benchmarks/mmmu/"]  # a leaderboard with its charts

playwright = pytest.importorskip("playwright.sync_api")
pytestmark = pytest.mark.skipif(not Path(CHROMIUM).exists(), reason="needs Debian's chromium")


def test_vendored_axe_is_the_pinned_version_with_its_licence():
    head = (VENDOR / "axe.min.js").read_text(encoding="utf-8")[:200]
    assert head.startswith("/*! axe v4.14.1")
    assert (VENDOR / "LICENSE").read_text(encoding="utf-8").startswith("Mozilla Public License")
    assert "4.14.1" in (VENDOR / "VERSION.md").read_text(encoding="utf-8")


@pytest.fixture(scope="module")
def site(built_site, site_server):
    """The real site, served on a free local port: (its base URL, its folder)."""
    return site_server + "/", built_site


# parts of a model page that only some models have: a component's or a tool's own source
# link (small text, where Material's dimming once took the link below 4.5:1), a tools list
MODEL_PAGE_PARTS = ['<small>[<a href=', 'class="mm-tools"']


def pages_to_check(out: Path) -> list[str]:
    """The fixed list, the first model page holding each of MODEL_PAGE_PARTS, every top-level
    section the build has (benchmarks, timeline, ...) and the first page inside each."""
    pages = list(PAGES)
    model_pages = sorted((out / "models").glob("*/index.html"))
    for part in MODEL_PAGE_PARTS:
        page = next(p for p in model_pages if part in p.read_text(encoding="utf-8"))
        if f"models/{page.parent.name}/" not in pages:
            pages.append(f"models/{page.parent.name}/")
    for index in sorted(out.glob("*/index.html")):
        section = index.parent.name
        if section in ("search", "assets") or f"{section}/" in pages:
            continue
        pages.append(f"{section}/")
        inner = sorted(p.parent.name for p in index.parent.glob("*/index.html"))
        if inner:
            pages.append(f"{section}/{inner[0]}/")
    return pages


@pytest.mark.parametrize("scheme", ["light", "dark"])
def test_no_serious_or_critical_axe_violations(site, chromium_browser, scheme: str):
    base, out = site
    axe = (VENDOR / "axe.min.js").read_text(encoding="utf-8")
    context = chromium_browser.new_context(color_scheme=scheme)
    # the site is self-contained: anything but the local server is refused
    context.route("**/*", lambda route: route.continue_() if route.request.url.startswith(base)
                  else route.abort())
    page = context.new_page()
    found = {}
    try:
        for path in pages_to_check(out):
            response = page.goto(base + path, wait_until="load")
            assert response is not None and response.ok, path
            page.add_script_tag(content=axe)
            result = page.evaluate(
                "async () => await axe.run(document, {resultTypes: ['violations']})")
            bad = [{"id": v["id"], "impact": v["impact"], "help": v["help"],
                    "nodes": [n["target"] for n in v["nodes"]][:5]}
                   for v in result["violations"] if v["impact"] in ("serious", "critical")]
            if bad:
                found[path or "/"] = bad
    finally:
        context.close()
    assert not found, json.dumps(found, indent=1)


def test_axe_does_find_violations_when_there_are_some(chromium_browser):
    """The check is not vacuous: a page with known faults is reported."""
    page = chromium_browser.new_page()
    try:
        page.set_content("<html><body><img src='x.png'><a href='#'></a>"
                         "<p style='color:#777;background:#888'>low contrast</p></body></html>")
        page.add_script_tag(content=(VENDOR / "axe.min.js").read_text(encoding="utf-8"))
        result = page.evaluate("async () => await axe.run(document, {resultTypes: ['violations']})")
    finally:
        page.close()
    ids = {v["id"] for v in result["violations"]}
    assert {"image-alt", "link-name", "color-contrast"} <= ids
