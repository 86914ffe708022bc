"""Atom feeds and the What's new page: golden files and Atom validity."""
from __future__ import annotations

import datetime as dt
import os
import re
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest

from builder.data.activity import Activity, model_activity
from builder.pages.feeds import atom_feed, category_slug, feed_files
from builder.pages.kit import SiteContext
from builder.pages.model import model_page, models_index
from builder.pages.site import site_pages
from builder.pages.whats_new import whats_new_page
from schema import load_catalogue
from tracking_support import write_record

GOLDEN = Path(__file__).parent / "golden" / "feeds"
ROOT = Path(__file__).resolve().parents[1]
A = "{http://www.w3.org/2005/Atom}"
RFC3339 = re.compile(r"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?(Z|[+-]\d{2}:\d{2})$")


def golden(name: str, text: str) -> None:
    path = GOLDEN / name
    if os.environ.get("UPDATE_GOLDEN"):
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
    assert path.exists(), f"missing golden file {path}; run with UPDATE_GOLDEN=1 once"
    assert text == path.read_text(encoding="utf-8"), f"{name} differs from its golden file"


@pytest.fixture
def catalogue(tmp_path):
    write_record(tmp_path, "alpha-vlm", "Alpha-VLM", "2401.00001", "'Alpha: A Fixture'",
                 added="2024-06-01", code="https://github.com/example-org/alpha")
    write_record(tmp_path, "beta-lm", "Beta <LM> & Co", "2401.00002", "'Beta: <b>escaped</b> & more'",
                 date="2023-12-30", added="2024-06-03")
    path = write_record(tmp_path, "gamma", "Gamma", "2401.00003", "Gamma", date="2024-01-09", added="2024-06-03")
    path.write_text(path.read_text().replace("output: [text]", "output: [image, text]"))
    cat = load_catalogue(tmp_path)
    assert cat.ok, cat.problems
    return cat


def check_atom(text: str) -> ET.Element:
    """Well-formed Atom with the elements RFC 4287 requires, dates in RFC 3339."""
    root = ET.fromstring(text)
    assert root.tag == f"{A}feed"
    for tag in ("id", "title", "updated"):
        assert len(root.findall(f"{A}{tag}")) == 1, tag
    assert RFC3339.match(root.findtext(f"{A}updated"))
    assert re.match(r"^[a-z][a-z0-9+.-]*:", root.findtext(f"{A}id"))  # an absolute IRI
    entries = root.findall(f"{A}entry")
    if any(e.find(f"{A}author") is None for e in entries):
        assert root.find(f"{A}author/{A}name") is not None  # feed-level author required then
    ids = [e.findtext(f"{A}id") for e in entries]
    assert len(ids) == len(set(ids))
    for e in entries:
        for tag in ("id", "title", "updated"):
            assert e.findtext(f"{A}{tag}"), tag
        assert RFC3339.match(e.findtext(f"{A}updated")) and RFC3339.match(e.findtext(f"{A}published"))
        link = e.find(f"{A}link[@rel='alternate']")
        assert link is not None and link.get("href")
    assert root.find(f"{A}link[@rel='self']").get("href")
    updated = [e.findtext(f"{A}updated") for e in entries]
    assert updated == sorted(updated, reverse=True)
    return root


def test_feed_golden(catalogue):
    files = feed_files(catalogue.models)
    assert sorted(files) == ["feed.xml", "feeds/i-t-to-i-t.xml", "feeds/i-t-to-t.xml"]
    golden("feed.xml", files["feed.xml"])
    golden("i-t-to-t.xml", files["feeds/i-t-to-t.xml"])


def test_feeds_are_valid_atom(catalogue):
    for path, text in feed_files(catalogue.models).items():
        root = check_atom(text)
        entries = root.findall(f"{A}entry")
        if path == "feed.xml":
            assert [e.findtext(f"{A}title") for e in entries][0] in {"Beta <LM> & Co", "Gamma"}
            assert root.findtext(f"{A}updated") == "2024-06-03T00:00:00Z"
            assert entries[-1].find(f"{A}link").get("href") == "models/alpha-vlm/"
        else:
            assert all(e.find(f"{A}link").get("href").startswith("../models/") for e in entries)


def test_text_is_escaped_not_markup(catalogue):
    text = feed_files(catalogue.models)["feed.xml"]
    assert "Beta &lt;LM&gt; &amp; Co" in text and "<b>" not in text


def test_absolute_links_when_the_site_url_is_known(catalogue):
    text = feed_files(catalogue.models, "https://example.org/atlas/")["feeds/i-t-to-t.xml"]
    root = check_atom(text)
    assert root.find(f"{A}link[@rel='self']").get("href") == "https://example.org/atlas/feeds/i-t-to-t.xml"
    assert all(e.find(f"{A}link").get("href").startswith("https://example.org/atlas/models/")
               for e in root.findall(f"{A}entry"))


def test_ids_do_not_depend_on_the_host(catalogue):
    here = ET.fromstring(feed_files(catalogue.models)["feed.xml"])
    there = ET.fromstring(feed_files(catalogue.models, "https://example.org/")["feed.xml"])
    assert [e.findtext(f"{A}id") for e in here.iter(f"{A}entry")] == \
           [e.findtext(f"{A}id") for e in there.iter(f"{A}entry")]


def test_feed_is_limited_and_empty_feed_is_still_valid(catalogue):
    root = check_atom(atom_feed(catalogue.models, path="feed.xml", title="t", subtitle="s", limit=1))
    assert len(root.findall(f"{A}entry")) == 1
    check_atom(atom_feed([], path="feed.xml", title="t", subtitle="s"))


@pytest.mark.parametrize("label, slug", [("I+T -> T", "i-t-to-t"), ("I+T -> I_B+T", "i-t-to-i-b-t"),
                                         ("I+A+V+3D+T -> T", "i-a-v-3d-t-to-t")])
def test_category_slug(label, slug):
    assert category_slug(label) == slug


def test_every_project_feed_is_valid_atom():
    cat = load_catalogue(ROOT)
    files = feed_files(cat.models)
    for text in files.values():
        check_atom(text)
    # each model sits in one category feed, which holds that category's newest LIMIT models
    from builder.pages.feeds import LIMIT, categories, category_slug
    entries = [e.findtext(f"{A}id") for p, t in files.items() if p != "feed.xml"
               for e in ET.fromstring(t).iter(f"{A}entry")]
    assert len(entries) == len(set(entries))
    assert len(entries) == sum(min(LIMIT, len(ms)) for ms in categories(cat.models).values())
    assert all(f"feeds/{category_slug(label)}.xml" in files for label in categories(cat.models))


# -- pages ---------------------------------------------------------------------------------

def activity():
    return {"alpha-vlm": Activity("example-org/alpha", "ok", 1234, dt.date(2024, 5, 6), False, "MIT",
                                  dt.date(2024, 6, 1))}


def test_whats_new_golden(catalogue):
    golden("whats_new.md", whats_new_page(catalogue.models, activity()))


def test_whats_new_without_activity_has_no_activity_section(catalogue):
    page = whats_new_page(catalogue.models, {})
    assert "Recently active code" not in page and "../feeds/i-t-to-t.xml" in page


def test_model_page_and_index_show_activity_only_when_fetched(catalogue):
    alpha = next(m for m in catalogue.models if m.id == "alpha-vlm")
    page = model_page(alpha, "models/alpha-vlm.yaml", SiteContext(activity=activity()))
    assert '<span class="mm-stars" title="GitHub stars">★ 1,234</span>' in page
    assert 'last push <time datetime="2024-05-06">2024-05-06</time>' in page and "as of" in page
    assert "Code activity" not in model_page(alpha, "models/alpha-vlm.yaml")
    index = models_index(catalogue.models, activity())
    assert '<th scope="col" data-sort-type="number">Stars</th>' in index
    assert '<td class="mm-num" data-sort="1234">1,234</td>' in index
    assert '<td class="mm-num" data-sort="-1"></td>' in index  # a model without a repository
    assert "Stars" not in models_index(catalogue.models)
    assert "whats-new/index.md" in site_pages(catalogue)


def test_gone_repository_shows_no_stars(catalogue):
    alpha = next(m for m in catalogue.models if m.id == "alpha-vlm")
    act = model_activity(catalogue.models, {"example-org/alpha": {"status": "gone", "fetched_at": "2024-06-01T00:00:00Z"}})
    page = model_page(alpha, "models/alpha-vlm.yaml", SiteContext(activity=act))
    assert "repository <code>example-org/alpha</code> not found on GitHub" in page and "★" not in page


def test_activity_from_meta_ignores_damaged_entries(catalogue):
    act = model_activity(catalogue.models, {"example-org/alpha": {"stars": "many", "pushed_at": "yesterday"}})
    assert act["alpha-vlm"].stars is None and act["alpha-vlm"].pushed is None
    assert model_activity(catalogue.models, {}) == {}
