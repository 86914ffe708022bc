"""Repository activity for the site, read from `mmllm sync`'s generated meta files.

Pure: meta entries in, one `Activity` per model out. A model without a GitHub code link or
without a fetched entry has none, and the site then shows nothing for it.
"""
from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from schema import ModelRecord

from .repos import repo_of


def _date(text: object) -> dt.date | None:
    if not isinstance(text, str) or len(text) < 10:
        return None
    try:
        return dt.date.fromisoformat(text[:10])
    except ValueError:
        return None


@dataclass(frozen=True)
class Activity:
    repo: str
    status: str  # ok / moved / gone
    stars: int | None
    pushed: dt.date | None  # last push to any branch
    archived: bool
    license: str | None
    fetched: dt.date | None  # when sync asked GitHub

    @property
    def gone(self) -> bool:
        return self.status == "gone"


def model_activity(models: list[ModelRecord], github_meta: dict[str, dict]) -> dict[str, Activity]:
    out = {}
    for m in models:
        repo = repo_of(m.links.code)
        entry = github_meta.get(repo) if repo else None
        if not entry:
            continue
        stars = entry.get("stars")
        out[m.id] = Activity(
            repo=repo, status=str(entry.get("status", "ok")),
            stars=stars if isinstance(stars, int) and not isinstance(stars, bool) else None,
            pushed=_date(entry.get("pushed_at")), archived=entry.get("archived") is True,
            license=entry.get("license") if isinstance(entry.get("license"), str) else None,
            fetched=_date(entry.get("fetched_at")))
    return out
