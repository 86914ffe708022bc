"""The arXiv API (https://info.arxiv.org/help/api/): requests and Atom parsing.

`id_list` lookups are batched; the API asks for no more than one request every three
seconds, which the Fetcher enforces for this host.
"""
from __future__ import annotations

import datetime as dt
import re
import xml.etree.ElementTree as ET
from dataclasses import asdict, dataclass, field

from .net import Fetcher, FetchError

API = "https://export.arxiv.org/api/query"
HOST = "export.arxiv.org"
MIN_INTERVAL = 3.0
BATCH = 50

NS = {"a": "http://www.w3.org/2005/Atom", "arxiv": "http://arxiv.org/schemas/atom",
      "os": "http://a9.com/-/spec/opensearch/1.1/"}
_ID = re.compile(r"arxiv\.org/abs/(?P<id>\d{4}\.\d{4,5})(?:v(?P<v>\d+))?$")


class MalformedFeed(ValueError):
    """The answer is not the Atom document the arXiv API sends."""


@dataclass
class Paper:
    arxiv: str
    version: int | None
    title: str
    authors: list[str]
    published: str  # RFC 3339: first version (v1)
    updated: str  # RFC 3339: latest version
    categories: list[str]
    primary_category: str | None
    summary: str = ""
    extra: dict = field(default_factory=dict)

    @property
    def first_date(self) -> dt.date:
        return dt.date.fromisoformat(self.published[:10])

    def to_json(self) -> dict:
        """What sync keeps: the facts, not the abstract."""
        data = asdict(self)
        data.pop("extra")
        data.pop("summary")
        return data


def squash(text: str | None) -> str:
    return " ".join((text or "").split())


def parse_feed(text: str) -> tuple[list[Paper], dict[str, str]]:
    """Papers in an API answer, and errors the API reported per entry (id -> message)."""
    if "<!DOCTYPE" in text[:2000].upper():
        raise MalformedFeed("document type declarations are not accepted")
    try:
        root = ET.fromstring(text)
    except ET.ParseError as exc:
        raise MalformedFeed(f"not well-formed XML ({exc})") from None
    if root.tag != f"{{{NS['a']}}}feed":
        raise MalformedFeed(f"expected an Atom <feed>, got <{root.tag}>")
    papers, errors = [], {}
    for entry in root.findall("a:entry", NS):
        ident = squash(entry.findtext("a:id", "", NS))
        if "/api/errors" in ident:
            errors[ident] = squash(entry.findtext("a:summary", "", NS)) or "error"
            continue
        match = _ID.search(ident)
        if not match:
            raise MalformedFeed(f"entry id {ident!r} is not an arXiv abstract URL")
        published = squash(entry.findtext("a:published", "", NS))
        updated = squash(entry.findtext("a:updated", "", NS)) or published
        try:
            dt.datetime.fromisoformat(published.replace("Z", "+00:00"))
        except ValueError:
            raise MalformedFeed(f"entry {ident}: published date {published!r} is not RFC 3339") from None
        title = squash(entry.findtext("a:title", "", NS))
        if not title:
            raise MalformedFeed(f"entry {ident} has no title")
        primary = entry.find("arxiv:primary_category", NS)
        papers.append(Paper(
            arxiv=match["id"], version=int(match["v"]) if match["v"] else None, title=title,
            authors=[squash(a.findtext("a:name", "", NS)) for a in entry.findall("a:author", NS)],
            published=published, updated=updated,
            categories=[c.get("term", "") for c in entry.findall("a:category", NS) if c.get("term")],
            primary_category=primary.get("term") if primary is not None else None,
            summary=squash(entry.findtext("a:summary", "", NS))))
    return papers, errors


def fetch_ids(fetcher: Fetcher, ids: list[str], batch: int = BATCH) -> tuple[dict[str, Paper], dict[str, str]]:
    """Look up arXiv ids in batches. Returns papers found and, per id, why it was not
    (a failed batch marks each of its ids, and the other batches still count)."""
    found: dict[str, Paper] = {}
    failed: dict[str, str] = {}
    batches = [ids[i:i + batch] for i in range(0, len(ids), batch)]

    def one(chunk: list[str]) -> list[Paper]:
        response = fetcher.get(API, params={"id_list": ",".join(chunk), "start": 0,
                                            "max_results": len(chunk)})
        if response.status != 200:
            raise FetchError(response.url, f"HTTP {response.status}")
        papers, _errors = parse_feed(response.text)
        return papers

    for outcome in fetcher.map(one, batches, "arXiv"):
        if outcome.ok:
            for paper in outcome.value:
                found[paper.arxiv] = paper
            for i in outcome.item:
                if i not in found:
                    failed[i] = "not found on arXiv"
        else:
            for i in outcome.item:
                failed[i] = outcome.error
    return found, failed


def search(fetcher: Fetcher, query: str, max_results: int = 100) -> list[Paper]:
    """The newest papers matching an API `search_query`, newest submission first."""
    response = fetcher.get(API, params={"search_query": query, "start": 0, "max_results": max_results,
                                        "sortBy": "submittedDate", "sortOrder": "descending"})
    if response.status != 200:
        raise FetchError(response.url, f"HTTP {response.status}")
    return parse_feed(response.text)[0]


def fetcher_settings() -> dict[str, float]:
    return {HOST: MIN_INTERVAL}
