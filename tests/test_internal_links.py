"""Every link from one page of the built site to another arrives. Generated pages carry their
links as HTML (MkDocs validates only Markdown links), so the built site itself is checked."""
from __future__ import annotations

import re
from pathlib import Path
from urllib.parse import unquote, urljoin, urlsplit

_LINK = re.compile(r'<(?:a|link)\b[^>]*?\shref="([^"]*)"|<(?:script|img)\b[^>]*?\ssrc="([^"]*)"')


def broken_links(site: Path) -> list[tuple[str, str]]:
    broken = []
    for page in sorted(site.rglob("*.html")):
        here = "/" + page.relative_to(site).as_posix()
        for href, src in _LINK.findall(page.read_text(encoding="utf-8")):
            target = href or src
            parts = urlsplit(target)
            if parts.scheme or parts.netloc or target.startswith("#") or not parts.path:
                continue
            path = unquote(urlsplit(urljoin(here, parts.path)).path).lstrip("/")
            file = site / path
            if not (file.is_file() or (file / "index.html").is_file()):
                broken.append((here, target))
    return broken


def test_every_internal_link_of_the_built_site_arrives(built_site: Path):
    assert len(list(built_site.rglob("*.html"))) > 500
    assert broken_links(built_site) == []


def test_a_broken_internal_link_is_found(tmp_path: Path):
    (tmp_path / "a").mkdir()
    (tmp_path / "a" / "index.html").write_text('<a href="../b/">b</a> <a href="../a/">a</a>'
                                               '<a href="https://x.org/">x</a> <a href="#top">t</a>')
    assert broken_links(tmp_path) == [("/a/index.html", "../b/")]
