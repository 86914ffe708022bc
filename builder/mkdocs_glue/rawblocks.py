"""Keep Python-Markdown away from the HTML of generated pages.

A generated page is a few Markdown headings (and on some pages a few paragraphs) around large
HTML blocks that Markdown only copies through, yet parsing them tag by tag was most of the
time of converting the page (scripts/bench_scale.py). Two steps, both giving exactly what
Markdown gives:

- `stash`/`restore`: before conversion each top-level HTML block is swapped for a comment
  placeholder and put back after it, so Markdown sees only headings and paragraphs;
- `prerender`: a page that is then only headings and placeholders (every model page) is not
  converted at all; its headings are written as Markdown's `toc` extension writes them.

Only blocks that start at the left margin with a block-level tag are swapped, and a block
runs until that element closes (across blank lines), as Markdown reads raw HTML. Record text
inside them is escaped by the templates already.
"""
from __future__ import annotations

import html
import re

from markdown.extensions.toc import nest_toc_tokens, slugify, unique
from markdown.util import BLOCK_LEVEL_ELEMENTS

_PLACEHOLDER = "<!--mm-raw-{}-->"
_PLACEHOLDER_RE = re.compile(r"<!--mm-raw-(\d+)-->")
_START = re.compile(r"<([a-zA-Z][a-zA-Z0-9]*)\b")
_BLOCK = frozenset(BLOCK_LEVEL_ELEMENTS)


def _opens_block(chunk: str) -> str | None:
    m = _START.match(chunk)
    if m and m.group(1).lower() in _BLOCK and "markdown=\"1\"" not in chunk \
            and "markdown=\"block\"" not in chunk and "markdown=\"span\"" not in chunk:
        return m.group(1).lower()
    return None


def _depth(text: str, tag: str) -> int:
    opened = len(re.findall(rf"<{tag}\b", text, re.I))
    closed = len(re.findall(rf"</{tag}\s*>", text, re.I))
    return opened - closed


def stash(markdown: str) -> tuple[str, list[str]]:
    """(Markdown with each top-level HTML block replaced by a placeholder, the blocks)."""
    chunks = markdown.split("\n\n")
    out: list[str] = []
    blocks: list[str] = []
    i = 0
    while i < len(chunks):
        tag = _opens_block(chunks[i])
        if tag is None:
            out.append(chunks[i])
            i += 1
            continue
        region = [chunks[i]]
        depth = _depth(chunks[i], tag)
        i += 1
        while depth > 0 and i < len(chunks):
            region.append(chunks[i])
            depth += _depth(chunks[i], tag)
            i += 1
        if depth != 0:  # not balanced: leave it all to Markdown
            out.extend(region)
            continue
        block = "\n\n".join(region)
        trailing = block[len(block.rstrip("\n")):]
        out.append(_PLACEHOLDER.format(len(blocks)) + trailing)
        blocks.append(block.rstrip("\n"))
    return "\n\n".join(out), blocks


def restore(html: str, blocks: list[str]) -> str:
    """Put the stashed blocks back into Markdown's output."""
    if not blocks:
        return html
    return _PLACEHOLDER_RE.sub(lambda m: blocks[int(m.group(1))], html)


_INDENT = re.compile(r"\n\s+")  # a newline, then indentation and blank lines
_VERBATIM = re.compile(r"(<(pre|textarea|script)\b.*?</\2\s*>)", re.S | re.I)


def compact_html(html: str) -> str:
    """Drop the indentation and blank lines the theme templates emit (a sixth of a model
    page), leaving <pre>, <textarea> and <script> exactly as they are. Outside those,
    a newline followed by spaces and a newline alone render the same."""
    parts = _VERBATIM.split(html)
    out = []
    # re.split with two groups yields: text, whole match, tag name, text, ...
    for i in range(0, len(parts), 3):
        out.append(_INDENT.sub("\n", parts[i]))
        if i + 1 < len(parts):
            out.append(parts[i + 1])
    return "".join(out)


# -- pages that need no Markdown at all ----------------------------------------------------

# Python-Markdown's backslash escapes (a backslash before any other character stays)
_ESCAPABLE = "\\`*_{}[]()>#+-.!"
_UNESCAPE = re.compile(r"\\([" + re.escape(_ESCAPABLE) + r"])")
_HEADING = re.compile(r"(#{1,6})[ \t]+(.+?)(?:[ \t]+\{:?[ \t]*#([A-Za-z][\w-]*)[ \t]*\})?[ \t]*")
_ENTITY = re.compile(r"&(?:[A-Za-z][A-Za-z0-9]*|#[0-9]+|#[xX][0-9a-fA-F]+);")
# heading text (less escapes and entities) Markdown would turn into markup: code, emphasis,
# links, HTML, attributes, a bare '&'
_INLINE_MARKUP = re.compile(r"[`*_\[\]<!{}#&]")
_PERMALINK = '<a class="headerlink" href="#{0}" title="Permanent link">&para;</a>'


def prerender(markdown: str) -> tuple[str, list[dict]] | None:
    """(HTML, table-of-contents tokens) of a page source that holds only headings and HTML
    blocks, exactly as Python-Markdown with `toc` (permalinks) and `attr_list` renders it; None
    for anything else, which is left to Markdown. A generated page at 1,000 models spent a
    millisecond in Markdown for its headings alone."""
    text, blocks = stash(markdown)
    parts: list[tuple] = []  # ("html", block) or ("heading", level, inner text, given id)
    for chunk in text.split("\n\n"):
        chunk = chunk.strip("\n")
        if not chunk:
            continue
        placeholder = _PLACEHOLDER_RE.fullmatch(chunk)
        if placeholder:
            parts.append(("html", blocks[int(placeholder.group(1))]))
            continue
        heading = _HEADING.fullmatch(chunk)
        if heading is None:
            return None
        marks, raw, given_id = heading.groups()
        if "\n" in raw or _INLINE_MARKUP.search(_ENTITY.sub("", _UNESCAPE.sub("", raw))):
            return None
        parts.append(("heading", len(marks), _UNESCAPE.sub(r"\1", raw), given_id))
    # as Markdown's toc: ids given with { #id } are taken first, then headings get slugs
    used = {part[3] for part in parts if part[0] == "heading" and part[3]}
    out: list[str] = []
    tokens: list[dict] = []
    for part in parts:
        if part[0] == "html":
            out.append(part[1])
            continue
        _, level, inner, ident = part
        if not ident:
            ident = unique(slugify(html.unescape(inner), "-"), used)
        out.append(f'<h{level} id="{ident}">{inner}{_PERMALINK.format(ident)}</h{level}>')
        tokens.append({"level": level, "id": ident, "name": inner, "html": inner,
                       "data-toc-label": ""})
    return "\n".join(out), nest_toc_tokens(tokens)
