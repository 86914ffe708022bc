"""Atom feeds of newly added models, as pure functions (records in, XML text out).

`feed.xml` lists the newest additions (by each record's `added` date); `feeds/<slug>.xml`
does the same for one I->O category. Entry ids are `urn:uuid:` values derived from the
record id, so they stay the same wherever the site is hosted. Links are absolute when the
site's URL is known (MkDocs `site_url`) and relative to the feed otherwise, as Atom allows.
"""
from __future__ import annotations

import re
import uuid
import xml.etree.ElementTree as ET
from collections import defaultdict
from urllib.parse import urljoin

from schema import ModelRecord, io_notation

ATOM = "http://www.w3.org/2005/Atom"
NAMESPACE = uuid.uuid5(uuid.NAMESPACE_URL, "https://github.com/mm-llms-atlas/mm-llms-atlas")
LIMIT = 50
SITE_TITLE = "MM-LLMs Atlas"


def category_slug(label: str) -> str:
    """'I+T -> I_B+T' -> 'i-t-to-i-b-t'."""
    return re.sub(r"[^a-z0-9]+", "-", label.lower().replace("->", " to ")).strip("-")


def category_of(model: ModelRecord) -> str:
    return io_notation(model.io.input, model.io.output)


def rfc3339_day(day) -> str:
    return f"{day.isoformat()}T00:00:00Z"


def newest(models: list[ModelRecord], limit: int | None = LIMIT) -> list[ModelRecord]:
    ordered = sorted(models, key=lambda m: (m.added, m.date, m.id), reverse=True)
    return ordered[:limit] if limit else ordered


def _urn(kind: str, key: str) -> str:
    return f"urn:uuid:{uuid.uuid5(NAMESPACE, f'{kind}:{key}')}"


def atom_feed(models: list[ModelRecord], *, path: str, title: str, subtitle: str,
              base_url: str | None = None, limit: int | None = LIMIT) -> str:
    """One Atom 1.0 document. `path` is where the feed lives in the site (e.g. 'feed.xml')."""
    depth = path.count("/")
    prefix = "../" * depth

    def href(site_path: str) -> str:
        return urljoin(base_url, site_path) if base_url else prefix + site_path

    entries = newest(models, limit)
    ET.register_namespace("", ATOM)
    feed = ET.Element(f"{{{ATOM}}}feed")

    def sub(parent, tag, text=None, **attrs):
        el = ET.SubElement(parent, f"{{{ATOM}}}{tag}", {k.rstrip("_"): v for k, v in attrs.items()})
        if text is not None:
            el.text = text
        return el

    sub(feed, "id", _urn("feed", path))
    sub(feed, "title", title)
    sub(feed, "subtitle", subtitle)
    # deterministic: the feed changes when its newest entry does, not on every build
    sub(feed, "updated", rfc3339_day(entries[0].added) if entries else "1970-01-01T00:00:00Z")
    sub(feed, "link", rel="self", type="application/atom+xml", href=href(path))
    sub(feed, "link", rel="alternate", type="text/html", href=href("whats-new/"))
    author = sub(feed, "author")
    sub(author, "name", SITE_TITLE)
    sub(feed, "generator", "MM-LLMs Atlas builder")
    for m in entries:
        entry = sub(feed, "entry")
        sub(entry, "id", _urn("model", m.id))
        sub(entry, "title", m.name)
        sub(entry, "updated", rfc3339_day(m.added))
        sub(entry, "published", rfc3339_day(m.added))
        sub(entry, "link", rel="alternate", type="text/html", href=href(f"models/{m.id}/"))
        cat = category_of(m)
        sub(entry, "category", term=category_slug(cat), label=cat)
        parts = [f"{m.name}: {cat}", " & ".join(f.capitalize() for f in m.functional),
                 m.design.capitalize(), f"released {m.date.isoformat()}"]
        if m.paper:
            parts.append(f"paper: {m.paper.title}")
        sub(entry, "summary", " · ".join(parts), type="text")
    ET.indent(feed, space="  ")
    return '<?xml version="1.0" encoding="utf-8"?>\n' + ET.tostring(feed, encoding="unicode") + "\n"


def categories(models: list[ModelRecord]) -> dict[str, list[ModelRecord]]:
    """I->O label -> its models, largest category first, then by label."""
    groups: dict[str, list[ModelRecord]] = defaultdict(list)
    for m in models:
        groups[category_of(m)].append(m)
    return dict(sorted(groups.items(), key=lambda kv: (-len(kv[1]), kv[0])))


def feed_files(models: list[ModelRecord], base_url: str | None = None) -> dict[str, str]:
    """Every feed: site path -> Atom XML."""
    files = {"feed.xml": atom_feed(models, path="feed.xml", title=f"{SITE_TITLE}: new models",
                                   subtitle="Multimodal LLMs newly added to the catalogue",
                                   base_url=base_url)}
    slugs: dict[str, str] = {}
    for label, members in categories(models).items():
        slug = category_slug(label)
        if slug in slugs:  # two notations that differ only in punctuation
            raise ValueError(f"I->O categories {slugs[slug]!r} and {label!r} share the feed name {slug}")
        slugs[slug] = label
        files[f"feeds/{slug}.xml"] = atom_feed(
            members, path=f"feeds/{slug}.xml", title=f"{SITE_TITLE}: new {label} models",
            subtitle=f"Multimodal LLMs of the I→O category {label} newly added to the catalogue",
            base_url=base_url)
    return files
