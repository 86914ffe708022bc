"""`tracking/not-tracked.yaml`: papers the atlas looked at and keeps no model record of, each
with its reason. It accounts for the community list's coverage (`builder/stats.py`) and keeps
`mmllm discover` from proposing them again; it is also a source of labelled non-model papers.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Literal

from pydantic import Field, ValidationError, model_validator

from .loader import Document, Problem, read_file
from .messages import problems_from_validation
from .model import ArxivId, Note, Strict, Text, Url
from .records import display

NOT_TRACKED_FILE = Path("tracking") / "not-tracked.yaml"

Reason = Literal["dataset", "benchmark", "survey", "method", "analysis", "not-mm-llm", "unsourced"]


class NotTracked(Strict):
    """One paper or release that is not a model record, and why."""
    arxiv: ArxivId | None = None
    title: Text = Field(description="as the paper or release prints it")
    reason: Reason = Field(description="dataset, benchmark, survey, method (applied to existing "
                                       "models), analysis, not-mm-llm, or unsourced (a model no "
                                       "source within reach documents enough)")
    note: Note | None = None
    source: Url = Field(description="the page read to decide")

    @model_validator(mode="after")
    def _unsourced_says_what_is_missing(self) -> NotTracked:
        if self.reason == "unsourced" and not self.note:
            raise ValueError("an unsourced entry says in `note` what no source gave")
        return self


@dataclass
class NotTrackedList:
    entries: list[NotTracked] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)
    # (file, line, column) of each valid entry, for problems found later
    places: list[tuple[str, int, int]] = field(default_factory=list)


def load_not_tracked(root: Path) -> NotTrackedList:
    """The entries of tracking/not-tracked.yaml under root (none when the file is absent),
    with a problem for every invalid or repeated entry."""
    path = root / NOT_TRACKED_FILE
    out = NotTrackedList()
    if not path.exists():
        return out
    shown = display(path, root)
    doc = read_file(path, shown, top=list)
    if isinstance(doc, Problem):
        out.problems.append(doc)
        return out
    problems = out.problems
    seen: dict[str, int] = {}
    for i, data in enumerate(doc.data):
        sub = Document(shown, data, {loc[1:]: pos for loc, pos in doc.positions.items() if loc[:1] == (i,)},
                       {loc[1:]: raw for loc, raw in doc.raw.items() if loc[:1] == (i,)})
        try:
            entry = NotTracked.model_validate(data)
        except ValidationError as exc:
            problems += [Problem(p.path, p.line, p.column, f"[{i}].{p.field}".rstrip("."), p.message)
                         for p in problems_from_validation(sub, exc, NotTracked)]
            continue
        key = entry.arxiv or entry.title.casefold()
        if key in seen:
            line, col = doc.position((i,))
            problems.append(Problem(shown, line, col, f"[{i}]",
                                    f"{entry.arxiv or entry.title!r} is already listed (entry {seen[key]})"))
        seen.setdefault(key, i)
        out.entries.append(entry)
        out.places.append((shown, *doc.position((i,))))
    return out
