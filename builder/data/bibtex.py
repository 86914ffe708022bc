"""BibTeX entries for the models of the catalogue: one per model, keyed by its record id.

An entry is built only from facts the record or `mmllm sync` holds:
- a model with an arXiv paper gets the paper as an arXiv eprint (title, year of the arXiv id,
  `eprint`, `archivePrefix`, and `primaryClass` and authors when `models/_meta/arxiv.json`
  gives them);
- a paper without an arXiv id is cited by its title, the model's release year and its URL;
- a model without a paper is cited by its name, release year and first official link.
Authors are never guessed: without the arXiv metadata an entry has no `author` field.
"""
from __future__ import annotations

import re

from schema import ModelRecord

# characters with a meaning in BibTeX/LaTeX, written so they print as themselves
_SPECIAL = {"\\": r"\textbackslash{}", "{": r"\{", "}": r"\}", "$": r"\$", "&": r"\&",
            "%": r"\%", "#": r"\#", "_": r"\_", "^": r"\textasciicircum{}", "~": r"\textasciitilde{}"}
_SPECIAL_RE = re.compile(r"[\\{}$&%#_^~]")
# in a URL only the braces and the backslash matter to BibTeX; they are percent-encoded
_URL_RE = re.compile(r"[{}\\]")


def escape(text: str) -> str:
    """Plain text as a BibTeX field value that prints the same text."""
    return _SPECIAL_RE.sub(lambda m: _SPECIAL[m.group()], text)


def escape_url(url: str) -> str:
    return _URL_RE.sub(lambda m: f"%{ord(m.group()):02X}", url)


def citation_url(model: ModelRecord) -> str | None:
    """What a citation of the model links to: its paper, else its first official link."""
    if model.paper and model.paper.url:
        return model.paper.url
    if model.paper and model.paper.arxiv:
        return f"https://arxiv.org/abs/{model.paper.arxiv}"
    links = model.links
    return links.project or links.code or links.weights or links.demo


def bibtex_fields(model: ModelRecord, arxiv_meta: dict | None = None) -> list[tuple[str, str]]:
    """(field, escaped value) pairs of the model's entry, in print order. `arxiv_meta` maps
    arXiv ids to the entries of models/_meta/arxiv.json."""
    paper = model.paper
    meta = (arxiv_meta or {}).get(paper.arxiv) if paper and paper.arxiv else None
    meta = meta if isinstance(meta, dict) else {}
    title = (paper.title if paper else None) or meta.get("title") or (None if paper else model.name)
    fields: list[tuple[str, str]] = []
    if title:
        # the inner braces keep the title's capitals (model names) in every style
        fields.append(("title", "{" + escape(title) + "}"))
    authors = [a for a in meta.get("authors") or [] if isinstance(a, str) and a.strip()]
    if authors:
        fields.append(("author", " and ".join(escape(a) for a in authors)))
    if paper and paper.arxiv:
        # new-style arXiv ids begin with the year and month of submission (YYMM)
        fields.append(("year", str(2000 + int(paper.arxiv[:2]))))
        fields.append(("eprint", paper.arxiv))
        fields.append(("archivePrefix", "arXiv"))
        if isinstance(meta.get("primary_category"), str):
            fields.append(("primaryClass", escape(meta["primary_category"])))
    else:
        fields.append(("year", str(model.date.year)))
    url = citation_url(model)
    if url:
        fields.append(("url", escape_url(url)))
    return fields


def bibtex_entry(model: ModelRecord, arxiv_meta: dict | None = None) -> str:
    """The model's entry, keyed by its record id (unique and stable)."""
    fields = bibtex_fields(model, arxiv_meta)
    body = "".join(f"  {name} = {{{value}}},\n" for name, value in fields)
    return f"@misc{{{model.id},\n{body}}}\n"


def bibtex_file(models: list[ModelRecord], arxiv_meta: dict | None = None) -> str:
    """Every model's entry, by id: api/v1/atlas.bib and `mmllm export bibtex`."""
    return "\n".join(bibtex_entry(m, arxiv_meta) for m in sorted(models, key=lambda m: m.id))
