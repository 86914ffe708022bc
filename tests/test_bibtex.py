"""BibTeX of every model: entries parse with a real BibTeX parser (bibtexparser), keys are
unique, special characters print as themselves, authors come only from arXiv metadata; the
model page shows the entry with a copy button that works in Chromium."""
from __future__ import annotations

import html
import re

import bibtexparser
import yaml
from pylatexenc.latex2text import LatexNodes2Text

from builder.data.bibtex import bibtex_entry, bibtex_file
from conftest import ROOT, TINY, mmllm

META = {"2304.08485": {"arxiv": "2304.08485", "title": "Visual Instruction Tuning",
                       "authors": ["Haotian Liu", "Chunyuan Li"], "primary_category": "cs.CV"}}


def parse(text: str):
    library = bibtexparser.parse_string(text)
    assert library.failed_blocks == [], [b.error for b in library.failed_blocks]
    return library


def model(catalogue, ident):
    return next(m for m in catalogue.models if m.id == ident)


def test_every_model_has_one_entry_with_a_unique_key(catalogue):
    library = parse(bibtex_file(catalogue.models))
    keys = [e.key for e in library.entries]
    assert len(keys) == len(set(keys)) == len(catalogue.models)
    assert set(keys) == {m.id for m in catalogue.models}
    for entry in library.entries:
        assert entry.fields_dict["year"].value.isdigit()
        m = model(catalogue, entry.key)
        if m.paper and m.paper.arxiv:
            assert entry.fields_dict["eprint"].value == m.paper.arxiv
            assert entry.fields_dict["archivePrefix"].value == "arXiv"
            assert entry.fields_dict["year"].value == "20" + m.paper.arxiv[:2]
        else:
            assert entry.fields_dict["year"].value == str(m.date.year)
        assert "author" not in entry.fields_dict  # no arXiv metadata given: no authors


def test_authors_and_category_come_from_the_arxiv_metadata(tiny):
    alpha = model(tiny, "alpha")
    entry = parse(bibtex_entry(alpha, META)).entries[0]
    assert entry.fields_dict["author"].value == "Haotian Liu and Chunyuan Li"
    assert entry.fields_dict["primaryClass"].value == "cs.CV"
    # the record's own title wins over arXiv's
    assert entry.fields_dict["title"].value == "{A Test Paper}"
    assert "author" not in parse(bibtex_entry(alpha)).entries[0].fields_dict


def test_special_characters_print_as_themselves_and_cannot_break_out(tiny):
    alpha = model(tiny, "alpha")
    title = r"50% & more_{x}^2 ~ #1 \o/ $5}, author = {Mallory"
    hostile = alpha.model_copy(update={"paper": alpha.paper.model_copy(update={"title": title})})
    entry = parse(bibtex_entry(hostile)).entries[0]
    assert "author" not in entry.fields_dict
    value = entry.fields_dict["title"].value
    # pylatexenc writes LaTeX's \textasciicircum as U+02C6 (LaTeX prints '^')
    assert LatexNodes2Text().latex_to_text(value[1:-1]).replace("\u02c6", "^") == title
    authors = META["2304.08485"] | {"authors": ["Ann {Brace", "Bob}"]}
    parsed = parse(bibtex_entry(alpha, {"2304.08485": authors})).entries[0]
    assert set(parsed.fields_dict) == {"title", "author", "year", "eprint", "archivePrefix", "primaryClass", "url"}


def test_a_model_without_a_paper_is_cited_by_name_year_and_link(catalogue):
    m = next(m for m in catalogue.models if m.paper is None and m.links.code)
    entry = parse(bibtex_entry(m)).entries[0]
    assert entry.key == m.id
    assert LatexNodes2Text().latex_to_text(entry.fields_dict["title"].value[1:-1]) == m.name
    assert entry.fields_dict["url"].value == (m.links.project or m.links.code)


def test_export_bibtex_command_writes_the_file(tmp_path):
    out = tmp_path / "atlas.bib"
    proc = mmllm("--root", str(TINY), "export", "bibtex", "-o", str(out), cwd=TINY)
    assert proc.returncode == 0, proc.stderr
    keys = [e.key for e in parse(out.read_text(encoding="utf-8")).entries]
    assert keys == sorted(p.stem for p in (TINY / "models").glob("*.yaml"))


def test_model_pages_show_the_entry_of_atlas_bib(built_site, catalogue):
    atlas = {e.key: e for e in parse((built_site / "api" / "v1" / "atlas.bib").read_text(encoding="utf-8")).entries}
    assert set(atlas) == {m.id for m in catalogue.models}
    for m in catalogue.models[::20]:
        page = (built_site / "models" / m.id / "index.html").read_text(encoding="utf-8")
        shown = re.search(r'<div id="mm-bibtex-entry"><pre><code>(.*?)</code></pre></div>', page, re.S)
        assert shown, m.id
        entry = parse(html.unescape(shown.group(1))).entries[0]
        assert entry.key == m.id
        assert {f.key: f.value for f in entry.fields} == {f.key: f.value for f in atlas[m.id].fields}
        assert 'data-copy="mm-bibtex-entry"' in page


def test_about_page_cites_the_survey_as_citation_cff_does():
    atlas_cff = yaml.safe_load((ROOT / "CITATION.cff").read_text(encoding="utf-8"))
    cff = atlas_cff["preferred-citation"]
    about = (ROOT / "site" / "about.md").read_text(encoding="utf-8")
    block = re.search(r"```bibtex\n(.*?)```", about, re.S)
    assert block, "the About page has a ```bibtex block"
    entries = {e.key: e.fields_dict for e in parse(block.group(1)).entries}
    survey = next(f for f in entries.values() if f.get("doi") and f["doi"].value == cff["doi"])
    assert LatexNodes2Text().latex_to_text(survey["title"].value).strip("{}") == cff["title"]
    assert survey["year"].value == str(cff["year"])
    assert survey["pages"].value == f"{cff['start']}--{cff['end']}"
    names = [f"{a['family-names']}, {a['given-names']}" for a in cff["authors"]]
    assert survey["author"].value.split(" and ") == names
    atlas = next(f for f in entries.values() if "doi" not in f)
    assert LatexNodes2Text().latex_to_text(atlas["title"].value) == atlas_cff["title"]
    assert LatexNodes2Text().latex_to_text(atlas["author"].value) == atlas_cff["authors"][0]["name"]


# -- in Chromium ---------------------------------------------------------------------------

def test_copy_button_copies_the_entry(chromium_browser, site_server):
    ctx = chromium_browser.new_context(permissions=["clipboard-read", "clipboard-write"])
    page = ctx.new_page()
    errors = []
    page.on("pageerror", lambda e: errors.append(str(e)))
    try:
        page.goto(f"{site_server}/models/llava-1-5/")
        button = page.locator('button[data-copy="mm-bibtex-entry"]')
        button.wait_for(state="visible")
        expected = page.locator("#mm-bibtex-entry pre code").text_content()
        assert expected.startswith("@misc{llava-1-5,")
        button.click()
        page.wait_for_function("document.querySelector('button[data-copy]').textContent === 'Copied'")
        assert page.evaluate("navigator.clipboard.readText()") == expected
    finally:
        ctx.close()
    assert errors == []


def test_without_javascript_the_button_stays_hidden(chromium_browser, site_server):
    ctx = chromium_browser.new_context(java_script_enabled=False)
    page = ctx.new_page()
    try:
        page.goto(f"{site_server}/models/llava-1-5/")
        assert page.locator('button[data-copy="mm-bibtex-entry"]').is_hidden()
        assert page.locator("#mm-bibtex-entry pre").is_visible()
    finally:
        ctx.close()

