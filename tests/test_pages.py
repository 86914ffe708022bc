"""Builder pages as pure functions, checked against expected-output files.

Regenerate the expected files after an intended change with: UPDATE_GOLDEN=1 pytest tests/test_pages.py
"""
from __future__ import annotations

import os
import re
from pathlib import Path

import pytest

from builder.data.trees import io_tree
from builder.pages.kit import SiteContext, md
from builder.pages.site import site_pages
from conftest import FIXTURES
from schema import load_catalogue

GOLDEN = Path(__file__).parent / "golden"
CATALOGUE = FIXTURES / "catalogue"


@pytest.fixture(scope="module")
def pages() -> dict[str, str]:
    cat = load_catalogue(CATALOGUE)
    assert cat.ok, cat.problems
    return site_pages(cat, SiteContext(edit_base="https://example.org/atlas/edit/main/"))


@pytest.mark.parametrize("page", ["models/llava.md", "models/next-gpt.md", "models/index.md",
                                  "taxonomy/index.md"])
def test_page_matches_golden_file(pages, page):
    expected = GOLDEN / page.replace("/", "__")
    if os.environ.get("UPDATE_GOLDEN"):
        expected.write_text(pages[page], encoding="utf-8")
    assert pages[page] == expected.read_text(encoding="utf-8")


def test_one_page_per_model_plus_index_and_tree(pages):
    assert sorted(p for p in pages if re.fullmatch(r"models/[^/]+\.md", p)) == [
        "models/blip-2.md", "models/index.md", "models/llava.md", "models/next-gpt.md"]
    assert {"index.md", "taxonomy/index.md", "timeline/index.md", "trends/index.md",
            "compare/index.md", "whats-new/index.md", "api/models.json"} <= set(pages)


def test_taxonomy_counts_every_model_once():
    cat = load_catalogue(CATALOGUE)
    tree = io_tree(cat.models)
    assert sum(node.count for node in tree) == len(cat.models)
    labels = [node.label for node in tree]
    assert labels == ["I+T → T", "I+V+A+T → I+V+A+T"]


def test_md_escapes_html_and_markdown():
    assert md("<b>*x*</b> [a](javascript:1)") == (
        r"&lt;b&gt;\*x\*&lt;/b&gt; \[a\]\(javascript:1\)")


def test_models_json_export_holds_every_record_and_derived_fields(pages):
    import json
    doc = json.loads(pages["api/models.json"])
    assert doc["version"] == 1 and doc["count"] == 3
    by_id = {m["id"]: m for m in doc["models"]}
    assert sorted(by_id) == ["blip-2", "llava", "next-gpt"]
    assert by_id["llava"]["url"] == "models/llava/"
    assert by_id["next-gpt"]["io_category"] == "I+V+A+T -> I+V+A+T"
    assert by_id["llava"]["architecture"]["llm_backbone"] == [{"name": "Vicuna", "sizes": ["7B", "13B"]}]


def test_model_page_states_licence_and_variants_with_sizes(tiny):
    page = site_pages(tiny, SiteContext())["models/alpha.md"]
    assert '<dt>Licence</dt><dd><a href="https://spdx.org/licenses/Apache-2.0.html" rel="noopener">' \
           'Apache License 2.0</a> (<code>Apache-2.0</code>)</dd>' in page
    rows = re.findall(r"<tr><th scope=\"row\">(.*?)</tr>", page)
    # a variant under the model's licence says so; one under its own licence names it
    assert rows[0] == ("alpha-7b &lt;b&gt;chat&lt;/b&gt;</th><td>7.2B</td><td>—</td><td>the model's</td>"
                       '<td><a href="https://example.org/alpha/weights" rel="noopener">weights</a></td>'
                       '<td><a href="https://example.org/alpha" rel="noopener">source</a></td>')
    assert rows[1] == ("alpha-moe</th><td>30B</td><td>3B</td><td>Proprietary (no published weights)</td>"
                       "<td>—</td><td>—</td>")


def test_the_variants_table_has_no_licence_column_when_every_variant_shares_the_models(tiny):
    alpha = next(m for m in tiny.models if m.id == "alpha")
    same = alpha.model_copy(update={"variants": [v.model_copy(update={"license": None}) for v in alpha.variants]})
    page = site_pages(tiny.__class__(**{**tiny.__dict__, "models": [same, *[m for m in tiny.models if m.id != "alpha"]]}),
                      SiteContext())["models/alpha.md"]
    head = re.search(r'<table class="mm-variants">\s*<thead>(.*?)</thead>', page, re.S).group(1)
    assert "Licence" not in head and "Parameters" in head
