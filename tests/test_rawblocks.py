"""Generated pages skip Markdown for their HTML blocks, model pages are compacted: same
pages, less work."""
from __future__ import annotations

import re

import markdown
import pytest

from builder.mkdocs_glue.rawblocks import compact_html, prerender, restore, stash
from builder.pages.kit import SiteContext
from builder.pages.site import site_pages
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


def test_pages_of_headings_and_html_render_without_markdown_exactly_as_with_it(generated_pages):
    done = {p for p, text in generated_pages.items() if prerender(text.split("---\n", 2)[2])}
    models = {p for p in generated_pages if re.fullmatch(r"models/[a-z0-9-]+(/results/index)?\.md", p)
              and p != "models/index.md"}
    assert models <= done  # every model page and score page skips Markdown
    for path in done:
        body = generated_pages[path].split("---\n", 2)[2]
        html, tokens = prerender(body)
        md = markdown.Markdown(extensions=["attr_list", "md_in_html", "toc"],
                               extension_configs={"toc": {"permalink": True}})
        assert same_html(html, md.convert(body)), path
        assert tokens == md.toc_tokens, path


@pytest.mark.parametrize("source", [
    "# A\\-b \\| c &lt;x&gt; &amp; it's\n\n<div>\nx\n</div>\n\n## T2 { #t-2 }\n\n## A\n\n## A\n\n## t-2\n",
    "# Ünïcödé 中文\n\n## 1. Zahl\n",
    "# C\\# \\{: \\#id \\} \\*x\\* &#34;q&#34;\n\n## Architecture\n\n# Architecture\n",
])
def test_headings_render_as_markdown_renders_them(source):
    md = markdown.Markdown(extensions=["attr_list", "md_in_html", "toc"],
                           extension_configs={"toc": {"permalink": True}})
    html, tokens = prerender(source)
    assert same_html(html, md.convert(source)) and tokens == md.toc_tokens


@pytest.mark.parametrize("source", ["# T\n\ntext", "# *em*", "# `code`", "# [a](b.md)", "# a <b>",
                                    "# R&D", "# T { .cls }", "## T ##", "- item", "# a\n## b"])
def test_anything_else_is_left_to_markdown(source):
    assert prerender(source) is None


def test_markdown_and_inline_html_stay_with_markdown():
    text = "# T\n\n<small>*x*</small> text\n\n<p>para</p>\n\n<div markdown=\"1\">\n*y*\n</div>\n\n" \
           "<div>\nopen\n\nstill open\n</div>\n\n<div>\nnever closed\n"
    stashed, blocks = stash(text)
    assert blocks == ["<p>para</p>", "<div>\nopen\n\nstill open\n</div>"]
    assert "<small>*x*</small> text" in stashed
    assert '<div markdown="1">' in stashed and "never closed" in stashed


def test_compact_html_keeps_pre_script_and_textarea():
    html = "<div>\n    <p>a\n\n   b</p>\n  <pre>  x\n    y</pre>\n <script>\n  var a = 1;\n</script>" \
           "<textarea>\n  t\n</textarea>\n</div>\n"
    assert compact_html(html) == ("<div>\n<p>a\nb</p>\n<pre>  x\n    y</pre>\n<script>\n  var a = 1;\n"
                                  "</script><textarea>\n  t\n</textarea>\n</div>\n")
