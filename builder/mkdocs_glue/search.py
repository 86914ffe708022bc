"""The site search index for generated pages, made from their titles and descriptions.

Material's search plugin indexes a page by parsing its HTML, section by section. For the
generated pages that was a third of the build at 1,000 models (scripts/bench_scale.py),
and what it indexed was mostly tables of scores and lists of links. So generated pages are
excluded from that parser (`search: {exclude: true}`, set by `pages.front_matter`), and each
one with a `description` is indexed here by its title and that description, the same text as
its <meta name="description">. A generated page without a description is not searchable.

Titles and descriptions in front matter are HTML-escaped already: Material's search shows
both as HTML, as MkDocs themes print them.
"""
from __future__ import annotations

import json


def search_entry(url: str, meta: dict) -> dict | None:
    """The index entry of a generated page (`url` relative to the site root), or None."""
    if not meta.get("description"):
        return None
    entry = {"location": url, "title": meta["title"], "text": meta["description"]}
    boost = (meta.get("search") or {}).get("boost")
    if boost:  # Material's search worker multiplies the document's score by it
        entry["boost"] = boost
    return entry


def add_to_index(index_json: str, entries: list[dict]) -> str:
    """Material's search_index.json with `entries` added to its documents."""
    index = json.loads(index_json)
    index["docs"].extend(entries)
    return json.dumps(index, ensure_ascii=False, separators=(",", ":"))
