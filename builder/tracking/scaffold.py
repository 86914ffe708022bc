"""Record scaffolds: an annotated YAML template, prefilled from arXiv when a paper is known.

Only what arXiv states is prefilled (title, id, v1 date, the arXiv URL as a source). Fields
that need a person reading the paper (modalities, divisions, components) are left empty with a
TODO, so the scaffold fails validation, with clear messages, until someone fills them in.
Fetched text is untrusted: whatever it contains, the scaffold is valid YAML.
"""
from __future__ import annotations

import datetime as dt
import json
import re

from schema import vocabularies as vocab

from .arxiv import Paper

# the first line of every model record: editors check the record against its JSON Schema
MODEL_MODELINE = "# yaml-language-server: $schema=../schema/model.schema.json"


# Characters YAML does not accept raw (C1 controls, DEL, non-characters) or reads as a line
# break (NEL, U+2028/9); JSON's escaping already covers the C0 controls.
_ESCAPE = re.compile("[\x7f-\x9f\u2028\u2029\ufffe\uffff]")
_SURROGATE = re.compile("[\ud800-\udfff]")
_COMMENT_BREAK = re.compile("[\x00-\x1f\x7f-\x9f\u2028\u2029\ufffe\uffff]+")


def q(text: str) -> str:
    """A YAML double-quoted scalar (JSON strings are valid YAML), with every character YAML
    would refuse or fold written as a \\u escape, so the text reads back exactly."""
    quoted = json.dumps(_SURROGATE.sub("", text), ensure_ascii=False)
    return _ESCAPE.sub(lambda m: f"\\u{ord(m[0]):04x}", quoted)


def comment(text: str) -> str:
    """A YAML comment line saying `text`: controls and line breaks become spaces."""
    return "# " + " ".join(_COMMENT_BREAK.sub(" ", _SURROGATE.sub("", text)).split())


def slugify(text: str) -> str:
    slug = re.sub(r"[^a-z0-9]+", "-", text.lower()).strip("-")
    return slug[:60].strip("-") or "new-model"


def guess_name(title: str) -> str | None:
    """The part of a title before ':' when it is short, as in 'BLIP-2: Bootstrapping ...'."""
    head, sep, _ = title.partition(":")
    head = head.strip()
    return head if sep and 0 < len(head) <= 40 else None


def scaffold(paper: Paper | None = None, *, record_id: str | None = None, today: dt.date,
             origin: str = "mmllm new", arxiv_id: str | None = None, name: str | None = None) -> tuple[str, str]:
    """(record id, YAML text) of a new record; without a paper, `arxiv_id` (the id a person
    gave, nothing fetched) still fills paper.arxiv, paper.url and the source. `name` is used
    when the title does not give one (discover found it in the abstract)."""
    name = (guess_name(paper.title) if paper else None) or name
    rid = record_id or slugify(name or (paper.title if paper else f"arxiv-{arxiv_id}" if arxiv_id else "new-model"))
    mods = ", ".join(vocab.modalities())
    lines = [MODEL_MODELINE]
    if paper:
        lines += [f"# Scaffolded by `{origin}` from arXiv {paper.arxiv} on {today.isoformat()}.",
                  "# Prefilled from arXiv: paper title, arXiv id, date (v1). Check them, then fill",
                  "# every TODO from the paper or the official README - never from memory -",
                  "# and run `mmllm validate`. Remove these comments when done."]
        if paper.authors:
            more = f" and {len(paper.authors) - 8} more" if len(paper.authors) > 8 else ""
            lines.append(comment(f"arXiv authors: {', '.join(paper.authors[:8])}{more}"))
    else:
        lines += [f"# Blank record scaffolded by `{origin}` on {today.isoformat()}.",
                  "# Fill every TODO from the paper or the official README - never from memory -",
                  "# and run `mmllm validate`. Remove these comments when done."]
    lines += [f"id: {rid}  # = the file name without .yaml",
              (f"name: {q(name)}  # TODO check: guessed from the "
               f"{'title' if paper and guess_name(paper.title) else 'abstract'}" if name else
               "name:  # TODO required: the model's name as its authors write it")]
    if paper:
        lines += [f"date: '{paper.first_date.isoformat()}'  # arXiv v1; use an earlier official release if there is one"]
    else:
        lines += ["date:  # TODO required: 'YYYY-MM-DD', first public release (arXiv v1 or official release)"]
    lines += [f"added: '{today.isoformat()}'",
              "# venue: TODO, e.g. CVPR 2024 (only if published)",
              "organizations: []  # TODO: as the paper lists them"]
    if paper:
        lines += ["paper:", f"  title: {q(paper.title)}", f"  arxiv: '{paper.arxiv}'",
                  f"  url: https://arxiv.org/abs/{paper.arxiv}"]
    elif arxiv_id:
        lines += ["paper:", "  # title: TODO, as printed on arXiv", f"  arxiv: '{arxiv_id}'",
                  f"  url: https://arxiv.org/abs/{arxiv_id}"]
    else:
        lines += ["# paper:", "#   title: TODO", "#   arxiv: 'NNNN.NNNNN'", "#   url: https://arxiv.org/abs/NNNN.NNNNN"]
    lines += ["links: {}  # code / project / weights / demo URLs, e.g. code: https://github.com/OWNER/REPO",
              "io:",
              f"  # modality ids: {mods}",
              "  input: []  # TODO required",
              "  output: []  # TODO required",
              "functional: []  # TODO required: understanding and/or generation",
              "design:  # TODO required: end-to-end or tool-using",
              "# architecture: the five components (see schema/model.schema.json); 'unknown' until a source states them",
              "open_weights:  # TODO required: true when the weights are published for download, else false",
              "license:  # TODO required: the weights' licence id (CONTRIBUTING.md), proprietary, or unknown + license_note",
              "variants: []  # TODO required: each released checkpoint (name, params, weights, source), or sizes_note: why none",
              "sources:"]
    if paper:
        lines += [f"- url: https://arxiv.org/abs/{paper.arxiv}", "  kind: paper",
                  "  note: title, arXiv id and v1 date"]
    elif arxiv_id:
        lines += [f"- url: https://arxiv.org/abs/{arxiv_id}", "  kind: paper",
                  "  note: the arXiv id (nothing fetched from arXiv yet)"]
    else:
        lines[-1] = "sources: []  # TODO required: - url: ... / kind: paper / note: what it supports"
    return rid, "\n".join(lines) + "\n"
