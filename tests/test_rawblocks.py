"""Generated pages skip Markdown for their HTML blocks, model pages are compacted: same
pages, less work."""
from __future__ import annotations

import re

import markdown
import pytest

from builder.pages import SiteContext, site_pages
from builder.rawblocks import compact_html, restore, stash
from conftest import ROOT
from schema import load_catalogue


@pytest.fixture(scope="module")
def generated_pages() -> dict[str, str]:
    cat = load_catalogue(ROOT)
    assert cat.ok
    pages = site_pages(cat, SiteContext(edit_base="https://example.org/edit/main/"))
    return {p: t for p, t in pages.items() if p.endswith(".md")}


def convert(text: str) -> tuple[str, str]:
    md = markdown.Markdown(extensions=["attr_list", "md_in_html", "toc"],
                           extension_configs={"toc": {"permalink": True}})
    return md.convert(text), md.toc


def same_html(a: str, b: str) -> bool:
    return re.sub(r">\s+<", "><", a).strip() == re.sub(r">\s+<", "><", b).strip()


def test_every_generated_page_converts_the_same_with_its_html_stashed(generated_pages):
    assert len(generated_pages) > 500
    for path, text in generated_pages.items():
        stashed, blocks = stash(text)
        if re.fullmatch(r"models/[a-z0-9-]+\.md", path) and path != "models/index.md":
            assert blocks, path
            assert "<section" not in stashed and "<dl>" not in stashed  # the blocks left Markdown
        html, toc = convert(text)
        html2, toc2 = convert(stashed)
        assert toc2 == toc, path
        assert same_html(restore(html2, blocks), html), path


def test_markdown_and_inline_html_stay_with_markdown():
    text = "# T\n\n<small>*x*</small> text\n\n<p>para</p>\n\n<div markdown=\"1\">\n*y*\n</div>\n\n" \
           "<div>\nopen\n\nstill open\n</div>\n\n<div>\nnever closed\n"
    stashed, blocks = stash(text)
    assert blocks == ["<div>\nopen\n\nstill open\n</div>"]
    assert "<small>*x*</small> text" in stashed and "<p>para</p>" in stashed
    assert '<div markdown="1">' in stashed and "never closed" in stashed


def test_compact_html_keeps_pre_script_and_textarea():
    html = "<div>\n    <p>a\n\n   b</p>\n  <pre>  x\n    y</pre>\n <script>\n  var a = 1;\n</script>" \
           "<textarea>\n  t\n</textarea>\n</div>\n"
    assert compact_html(html) == ("<div>\n<p>a\nb</p>\n<pre>  x\n    y</pre>\n<script>\n  var a = 1;\n"
                                  "</script><textarea>\n  t\n</textarea>\n</div>\n")
