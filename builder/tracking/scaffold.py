"""Record scaffolds: an annotated YAML template, prefilled from arXiv when a paper is known.

Only what arXiv states is prefilled (title, id, v1 date, the arXiv URL as a source). Fields
that need a person reading the paper (modalities, divisions, components) are left empty with a
TODO, so the scaffold fails validation, with clear messages, until someone fills them in.
"""
from __future__ import annotations

import datetime as dt
import json
import re

from schema import vocabularies as vocab

from .arxiv import Paper


def q(text: str) -> str:
    """A YAML double-quoted scalar (JSON strings are valid YAML)."""
    return json.dumps(text, ensure_ascii=False)


def slugify(text: str) -> str:
    slug = re.sub(r"[^a-z0-9]+", "-", text.lower()).strip("-")
    return slug[:60].strip("-") or "new-model"


def guess_name(title: str) -> str | None:
    """The part of a title before ':' when it is short, as in 'BLIP-2: Bootstrapping ...'."""
    head, sep, _ = title.partition(":")
    head = head.strip()
    return head if sep and 0 < len(head) <= 40 else None


def scaffold(paper: Paper | None = None, *, record_id: str | None = None, today: dt.date,
             origin: str = "mmllm new") -> tuple[str, str]:
    """(record id, YAML text) of a new record."""
    name = guess_name(paper.title) if paper else None
    rid = record_id or slugify(name or (paper.title if paper else "new-model"))
    mods = ", ".join(vocab.modalities())
    lines = ["# yaml-language-server: $schema=../schema/model.schema.json"]
    if paper:
        lines += [f"# Scaffolded by `{origin}` from arXiv {paper.arxiv} on {today.isoformat()}.",
                  "# Prefilled from arXiv: paper title, arXiv id, date (v1). Check them, then fill",
                  "# every TODO from the paper or the official README - never from memory -",
                  "# and run `mmllm validate`. Remove these comments when done."]
        if paper.authors:
            more = f" and {len(paper.authors) - 8} more" if len(paper.authors) > 8 else ""
            lines.append(f"# arXiv authors: {', '.join(paper.authors[:8])}{more}")
    else:
        lines += [f"# Blank record scaffolded by `{origin}` on {today.isoformat()}.",
                  "# Fill every TODO from the paper or the official README - never from memory -",
                  "# and run `mmllm validate`. Remove these comments when done."]
    lines += [f"id: {rid}  # = the file name without .yaml",
              (f"name: {q(name)}  # TODO check: guessed from the title" if name else
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
              "sources:"]
    if paper:
        lines += [f"- url: https://arxiv.org/abs/{paper.arxiv}", "  kind: paper",
                  "  note: title, arXiv id and v1 date"]
    else:
        lines[-1] = "sources: []  # TODO required: - url: ... / kind: paper / note: what it supports"
    return rid, "\n".join(lines) + "\n"
