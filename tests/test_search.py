"""Site search: generated pages are found by their titles and descriptions (builder/mkdocs_glue/search.py),
hand-written pages as Material's search plugin indexes them."""
from __future__ import annotations

import html
import json
import re
from urllib.parse import urlsplit

import yaml

from builder.mkdocs_glue.search import add_to_index, search_entry
from builder.pages.model import MODEL_SEARCH_BOOST, model_description, model_page


def test_a_generated_page_is_searchable_by_its_description_only():
    assert search_entry("models/x/results/", {"title": "X: benchmark results"}) is None
    assert search_entry("models/x/", {"title": "X &amp; Y", "description": "a &lt;b&gt;"}) == \
        {"location": "models/x/", "title": "X &amp; Y", "text": "a &lt;b&gt;"}


def test_a_model_page_carries_its_search_boost(catalogue):
    meta = yaml.safe_load(model_page(catalogue.models[0], "models/x.yaml").split("---\n")[1])
    assert meta["search"] == {"exclude": True, "boost": MODEL_SEARCH_BOOST} and MODEL_SEARCH_BOOST > 1
    entry = search_entry("models/x/", meta | {"description": "d"})
    assert entry["boost"] == MODEL_SEARCH_BOOST
    assert "boost" not in search_entry("components/llm/x/", {"title": "X", "description": "d",
                                                             "search": {"exclude": True}})


def test_entries_are_added_to_materials_index_as_they_are():
    material = {"config": {"lang": ["en"], "separator": "[\\s]+"},
                "docs": [{"location": "about/", "title": "About", "text": "x"}]}
    entry = {"location": "models/x/", "title": "X", "text": "Ünïcode"}
    merged = json.loads(add_to_index(json.dumps(material), [entry]))
    assert merged["config"] == material["config"]
    assert merged["docs"] == material["docs"] + [entry]


def test_a_model_description_says_what_it_is_and_how_it_is_built(catalogue):
    by_id = {m.id: m for m in catalogue.models}
    text = model_description(by_id["next-gpt"])
    assert text.startswith("I+V+A+T -> I+V+A+T MM-LLM (")
    for part in ("Modality Encoder: ImageBind", "LLM Backbone: Vicuna", "Modality Generator:",
                 "Paper: NExT-GPT"):
        assert part in text, part
    llava = model_description(by_id["llava"])
    # a stage the model does not have ("none") is left out
    assert "Input Projector:" in llava and "Output Projector" not in llava
    tool_using = next(m for m in catalogue.models if m.tools)
    assert "Tools: " + tool_using.tools[0].name in model_description(tool_using)


def test_the_built_index_has_one_entry_per_generated_page(built_site, catalogue):
    docs = json.loads((built_site / "search" / "search_index.json").read_text(encoding="utf-8"))["docs"]
    locations = [d["location"] for d in docs]
    for m in catalogue.models:
        assert locations.count(f"models/{m.id}/") == 1, m.id
    assert "benchmarks/" in locations and "benchmarks/mmmu/" in locations
    assert "taxonomy/" in locations and "components/" in locations and "" in locations
    # score sub-pages are not searchable, and Material parsed no generated page into sections
    assert not [loc for loc in locations if re.fullmatch(r"models/[^/]+/results/", loc)]
    assert not [loc for loc in locations if "#" in loc and not loc.startswith(("about/", "api/"))]
    # hand-written pages are indexed by Material, section by section
    assert any(loc.startswith("about/#") for loc in locations)
    # an entry's text is its page's meta description
    llava = next(d for d in docs if d["location"] == "models/llava/")
    page = (built_site / "models" / "llava" / "index.html").read_text(encoding="utf-8")
    meta = re.search(r'<meta name="description" content="([^"]*)"', page).group(1)
    assert meta == llava["text"] and "CLIP ViT-L" in html.unescape(meta)


def test_site_search_finds_models_by_their_parts_in_chromium(site_server, chromium_browser):
    context = chromium_browser.new_context()
    outside = []
    context.route("**/*", lambda r: r.continue_() if urlsplit(r.request.url).hostname == "127.0.0.1"
                  else (outside.append(r.request.url), r.abort()))
    page = context.new_page()
    try:
        page.goto(f"{site_server}/")
        page.keyboard.press("/")  # Material's shortcut to the search box
        box = page.locator("input.md-search__input")
        box.press_sequentially("ImageBind")  # Material searches as keys are typed
        page.wait_for_selector(".md-search-result__item")
        links = page.eval_on_selector_all(".md-search-result__item a",
                                          "els => els.map(a => new URL(a.href).pathname)")
        assert "/models/next-gpt/" in links
        box.fill("")
        box.press_sequentially("MMMU")
        page.wait_for_function(
            "() => [...document.querySelectorAll('.md-search-result__item a')]"
            ".some(a => new URL(a.href).pathname === '/benchmarks/mmmu/')")
    finally:
        context.close()
    assert outside == []


def search_results(page, query: str) -> list[str]:
    """The paths of the results Material lists for `query`, typed key by key, best first."""
    page.keyboard.press("/")
    box = page.locator("input.md-search__input")
    box.fill("")
    box.press_sequentially(query)
    page.wait_for_function(
        "(q) => document.querySelector('.md-search-result__meta').textContent.match(/\\d/)"
        " && document.querySelector('input.md-search__input').value === q", arg=query)
    # Material lists ten results, and more as the list is scrolled: scroll until no more come
    items, seen, still = page.locator(".md-search-result__item"), 0, 0
    while still < 4:
        page.eval_on_selector(".md-search__scrollwrap", "el => el.scrollBy(0, 300)")
        page.wait_for_timeout(100)
        count = items.count()
        still, seen = (still + 1, seen) if count == seen else (0, count)
    return page.eval_on_selector_all(".md-search-result__item > a",
                                     "els => els.map(a => new URL(a.href).pathname)")


def test_search_lists_models_before_components_of_the_same_name(site_server, chromium_browser,
                                                                  catalogue):
    models = {f"/models/{m.id}/" for m in catalogue.models}
    page = chromium_browser.new_page()
    try:
        for query, wanted in (("qwen", "/models/qwen2-5-vl/"), ("llava", "/models/llava-plus/")):
            page.goto(f"{site_server}/")
            found = search_results(page, query)
            kinds = ["model" if path in models else "other" for path in found]
            assert "other" in kinds and "model" in kinds, (query, found)
            # every model found comes before every component, dataset or other page
            assert kinds == sorted(kinds), (query, found)
            assert wanted in found[:10], (query, found)
            assert len(found) > 10  # more than the first screen was compared
    finally:
        page.close()
