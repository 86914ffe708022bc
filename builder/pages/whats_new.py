"""The "What's new" page, as a pure function (records and activity in, Markdown out)."""
from __future__ import annotations

from itertools import groupby

from schema import ModelRecord

from builder.data.activity import Activity

from .feeds import categories, category_slug, newest
from .kit import front_matter, render

MAX_NEW = 100
MAX_ACTIVE = 10


def whats_new_page(models: list[ModelRecord], activity: dict[str, Activity] | None = None) -> str:
    recent = newest(models, MAX_NEW)
    by_day = [(day, list(group)) for day, group in groupby(recent, key=lambda m: m.added)]
    feeds = [(label, category_slug(label), len(members)) for label, members in categories(models).items()]
    by_id = {m.id: m for m in models}
    active = sorted(((by_id[i], a) for i, a in (activity or {}).items() if a.pushed and not a.gone),
                    key=lambda pair: (pair[1].pushed, pair[0].id), reverse=True)[:MAX_ACTIVE]
    description = ("MM-LLMs newly added to the catalogue, newest first, the most recently active "
                   "code repositories, and Atom feeds per I→O category.")
    return front_matter("What's new", description) + render(
        "whats_new.md.j2", by_day=by_day, feeds=feeds, total=len(models), active=active)
