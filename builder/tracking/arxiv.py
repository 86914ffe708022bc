"""The arXiv API (https://info.arxiv.org/help/api/): requests and Atom parsing.

`id_list` lookups are batched; the API asks for no more than one request every three
seconds, which the Fetcher enforces for this host. The endpoint and the interval are
settings (`builder/tracking/settings.py`).
"""
from __future__ import annotations

import datetime as dt
import re
import xml.etree.ElementTree as ET
from dataclasses import asdict, dataclass, field

from .net import Fetcher, FetchError
from .settings import Settings

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


# control characters XML allows (&#127; ... &#159;) but YAML does not, and non-characters
_UNPRINTABLE = re.compile("[\x00-\x1f\x7f-\x9f\ud800-\udfff\ufffe\uffff]")


def squash(text: str | None) -> str:
    """Fetched text as one line of printable characters: whitespace runs become one space,
    control characters are dropped."""
    return " ".join(_UNPRINTABLE.sub("", " ".join((text or "").split())).split())


class BadEntry(ValueError):
    """One entry of a feed that is not a usable paper; the rest of the feed still counts."""


def parse_feed(text: str) -> tuple[list[Paper], dict[str, str]]:
    """Papers in an API answer, and the entries that are not papers: errors the API reported
    and entries that cannot be read (entry id, or its position, -> message). Only an answer
    that is not an Atom feed at all raises MalformedFeed."""
    if "<!DOCTYPE" in text[:2000].upper():
        raise MalformedFeed("document type declarations are not accepted")
    try:
        root = ET.fromstring(text)
    except ET.ParseError as exc:
        raise MalformedFeed(f"not well-formed XML ({exc})") from None
    if root.tag != f"{{{NS['a']}}}feed":
        raise MalformedFeed(f"expected an Atom <feed>, got <{root.tag}>")
    papers, errors = [], {}
    for number, entry in enumerate(root.findall("a:entry", NS), 1):
        ident = squash(entry.findtext("a:id", "", NS))
        if "/api/errors" in ident:
            errors[ident] = squash(entry.findtext("a:summary", "", NS)) or "error"
            continue
        match = _ID.search(ident)
        try:
            if not match:
                raise BadEntry(f"entry id {ident[:200]!r} is not an arXiv abstract URL")
            papers.append(_paper(entry, ident, match))
        except BadEntry as exc:
            errors[match["id"] if match else f"entry {number}"] = str(exc)
    return papers, errors


def _paper(entry: ET.Element, ident: str, match: re.Match) -> Paper:
    published = squash(entry.findtext("a:published", "", NS))
    updated = squash(entry.findtext("a:updated", "", NS)) or published
    try:
        dt.datetime.fromisoformat(published.replace("Z", "+00:00"))
    except ValueError:
        raise BadEntry(f"entry {ident}: published date {published[:100]!r} is not RFC 3339") from None
    title = squash(entry.findtext("a:title", "", NS))
    if not title:
        raise BadEntry(f"entry {ident} has no title")
    primary = entry.find("arxiv:primary_category", NS)
    return Paper(
        arxiv=match["id"], version=int(match["v"]) if match["v"] else None, title=title,
        authors=[squash(a.findtext("a:name", "", NS)) for a in entry.findall("a:author", NS)],
        published=published, updated=updated,
        categories=[squash(c.get("term")) for c in entry.findall("a:category", NS) if squash(c.get("term"))],
        primary_category=squash(primary.get("term")) or None if primary is not None else None,
        summary=squash(entry.findtext("a:summary", "", NS)))


def fetch_ids(fetcher: Fetcher, ids: list[str], batch: int = BATCH,
              api: str = Settings.arxiv_api) -> tuple[dict[str, Paper], dict[str, str]]:
    """Look up arXiv ids in batches. Returns papers found and, per id, why it was not
    (a failed batch marks each of its ids, and the other batches still count)."""
    found: dict[str, Paper] = {}
    failed: dict[str, str] = {}
    batches = [ids[i:i + batch] for i in range(0, len(ids), batch)]

    def one(chunk: list[str]) -> tuple[list[Paper], dict[str, str]]:
        response = fetcher.get(api, params={"id_list": ",".join(chunk), "start": 0,
                                            "max_results": len(chunk)})
        if response.status != 200:
            raise FetchError(response.url, f"HTTP {response.status}")
        return parse_feed(response.text)

    for outcome in fetcher.map(one, batches, "arXiv"):
        if outcome.ok:
            papers, unusable = outcome.value
            for paper in papers:
                found[paper.arxiv] = paper
            for i in outcome.item:
                if i not in found:
                    failed[i] = (f"arXiv's entry is unusable ({unusable[i]})" if i in unusable
                                 else "not found on arXiv")
        else:
            for i in outcome.item:
                failed[i] = outcome.error
    return found, failed


def search(fetcher: Fetcher, query: str, max_results: int = 100,
           api: str = Settings.arxiv_api, start: int = 0) -> tuple[list[Paper], dict[str, str]]:
    """The newest papers matching an API `search_query`, newest submission first, and the
    entries skipped as unusable (see parse_feed)."""
    papers, unusable, _ = search_page(fetcher, query, max_results, api, start)
    return papers, unusable


def search_page(fetcher: Fetcher, query: str, max_results: int = 100, api: str = Settings.arxiv_api,
                start: int = 0) -> tuple[list[Paper], dict[str, str], int | None]:
    """One page of a search from result `start` on, and how many results the query has in
    all (the feed's opensearch:totalResults; None when the answer does not say)."""
    response = fetcher.get(api, params={"search_query": query, "start": start, "max_results": max_results,
                                        "sortBy": "submittedDate", "sortOrder": "descending"})
    if response.status != 200:
        raise FetchError(response.url, f"HTTP {response.status}")
    papers, unusable = parse_feed(response.text)
    match = _TOTAL.search(response.text[:4000])
    return papers, unusable, int(match[1]) if match else None


_TOTAL = re.compile(r"<(?:\w+:)?totalResults[^>]*>\s*(\d+)\s*<")


def fetcher_settings(settings: Settings = Settings()) -> dict[str, float]:
    """The Fetcher's pacing for the arXiv API: one request every `arxiv_interval` seconds."""
    return {settings.arxiv_host: settings.arxiv_interval}
