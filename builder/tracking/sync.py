"""`mmllm sync`: fetch arXiv metadata and GitHub repository facts for every record.

Results go to `models/_meta/arxiv.json` and `models/_meta/github.json`; the records are only
read. A failed lookup keeps that entry's previous value and is reported; the others are
written. Disagreements between a record and what arXiv or GitHub says are reported, never
"fixed": a person decides which source is right.
"""
from __future__ import annotations

import datetime as dt
import re
import unicodedata
from dataclasses import asdict, dataclass, field
from pathlib import Path

from schema import ModelRecord

from . import arxiv, github
from .meta import META_DIR, parse_time, read_meta, rfc3339, write_meta
from .net import DEADLINE_REASON, Fetcher, remove_stale_temporaries
from .settings import Settings


@dataclass
class SyncReport:
    fetched: dict[str, int] = field(default_factory=lambda: {"arxiv": 0, "github": 0})
    skipped: dict[str, int] = field(default_factory=lambda: {"arxiv": 0, "github": 0})
    failures: list[str] = field(default_factory=list)  # could not fetch (previous value kept)
    not_reached: list[str] = field(default_factory=list)  # left for the next run by the deadline
    disagreements: list[str] = field(default_factory=list)  # record vs source
    written: list[str] = field(default_factory=list)

    def markdown(self) -> str:
        lines = ["## mmllm sync", "",
                 f"Fetched {self.fetched['arxiv']} arXiv paper(s) and {self.fetched['github']} "
                 f"GitHub repositor(ies); {self.skipped['arxiv'] + self.skipped['github']} "
                 "entry(ies) were fresh enough to skip.", ""]
        if self.disagreements:
            lines += ["### Disagreements to review", "",
                      *[f"- {d}" for d in self.disagreements], ""]
        if self.failures:
            lines += ["### Failed lookups (previous values kept)", "",
                      *[f"- {f}" for f in self.failures], ""]
        if self.not_reached:
            lines += [f"### Not fetched before the deadline ({len(self.not_reached)}; previous values kept)", "",
                      *[f"- {f}" for f in self.not_reached], ""]
        if not self.disagreements and not self.failures and not self.not_reached:
            lines += ["No disagreements, no failures.", ""]
        return "\n".join(lines)


TITLE_CHARS = 400  # titles are compared on this many characters at most: bounded work per title


def normal_title(text: str) -> str:
    """Titles compared without case, accents, punctuation or spacing differences, and only
    on their first TITLE_CHARS characters (a title of 50,000 characters costs no more)."""
    text = unicodedata.normalize("NFKD", text[: 4 * TITLE_CHARS]).encode("ascii", "ignore").decode()
    return " ".join(re.sub(r"[^a-z0-9]+", " ", text.lower()).split())[:TITLE_CHARS]


def _due(entry: dict | None, now: dt.datetime, only_missing: bool, max_age: dt.timedelta | None) -> bool:
    if entry is None:
        return True
    if only_missing:
        return False
    if max_age is None:
        return True
    fetched = parse_time(entry.get("fetched_at"))
    return fetched is None or now - fetched > max_age


def record_repos(models: list[ModelRecord]) -> dict[str, list[str]]:
    """owner/repo -> ids of the records whose `links.code` points at it."""
    repos: dict[str, list[str]] = {}
    for m in models:
        repo = github.repo_of(m.links.code)
        if repo:
            repos.setdefault(repo, []).append(m.id)
    return repos


def sync(root: Path, models: list[ModelRecord], paths: dict[str, str], *,
         arxiv_fetcher: Fetcher | None, github_fetcher: Fetcher | None, now: dt.datetime,
         only_missing: bool = False, max_age: dt.timedelta | None = None,
         token: str | None = None, arxiv_batch: int = arxiv.BATCH,
         settings: Settings = Settings()) -> SyncReport:
    """Fetch what is due and write the meta files. The fetchers' deadline (if set) ends the
    run early: what was fetched is written, what was not is listed in `not_reached`."""
    report = SyncReport()
    stamp = rfc3339(now)
    remove_stale_temporaries(root / META_DIR)  # left by a run that was killed while writing

    if arxiv_fetcher is not None:
        by_id = {m.paper.arxiv: m for m in models if m.paper and m.paper.arxiv}
        old = read_meta(root, "arxiv")
        due = [i for i in sorted(by_id) if _due(old.get(i), now, only_missing, max_age)]
        report.skipped["arxiv"] = len(by_id) - len(due)
        found, failed = arxiv.fetch_ids(arxiv_fetcher, due, arxiv_batch, settings.arxiv_api) if due else ({}, {})
        entries = {i: old[i] for i in by_id if i in old}  # keep what is not refetched
        for i, paper in found.items():
            entries[i] = {"fetched_at": stamp, **paper.to_json()}
        report.fetched["arxiv"] = len(found)
        for i, reason in sorted(failed.items()):
            line = f"arXiv {i} ({paths.get(by_id[i].id, by_id[i].id)}): {reason}"
            (report.not_reached if reason.startswith(DEADLINE_REASON) else report.failures).append(line)
        if found or set(entries) != set(old):
            report.written.append(str(write_meta(root, "arxiv", entries)))
        for i, m in sorted(by_id.items(), key=lambda kv: kv[1].id):
            if i in entries:
                report.disagreements += arxiv_disagreements(m, entries[i], paths.get(m.id, m.id))

    if github_fetcher is not None:
        repos = record_repos(models)
        old = read_meta(root, "github")
        due = [r for r in sorted(repos) if _due(old.get(r), now, only_missing, max_age)]
        report.skipped["github"] = len(repos) - len(due)
        entries = {r: old[r] for r in repos if r in old}
        outcomes = github_fetcher.map(lambda r: github.fetch_repo(github_fetcher, r, token, settings.github_api),
                                      due, "GitHub")
        for outcome in outcomes:
            if outcome.ok:
                entries[outcome.item] = {"fetched_at": stamp, **asdict(outcome.value)}
                report.fetched["github"] += 1
            else:
                line = f"GitHub {outcome.item} ({', '.join(repos[outcome.item])}): {outcome.error}"
                (report.not_reached if outcome.skipped else report.failures).append(line)
        if report.fetched["github"] or set(entries) != set(old):
            report.written.append(str(write_meta(root, "github", entries)))
        for repo, ids in sorted(repos.items()):
            if repo in entries:
                report.disagreements += github_disagreements(repo, ids, entries[repo])
    return report


def arxiv_disagreements(m: ModelRecord, entry: dict, where: str) -> list[str]:
    out = []
    title = entry.get("title") or ""
    # a record may give only the arXiv id (paper.title unknown): nothing to compare then
    if m.paper and m.paper.title and title and normal_title(m.paper.title) != normal_title(title):
        out.append(f"{where}: paper.title {m.paper.title!r} differs from arXiv {m.paper.arxiv}'s "
                   f"title {title!r}")
    first = (entry.get("published") or "")[:10]
    if first and m.date.isoformat() != first:
        out.append(f"{where}: date {m.date.isoformat()} differs from arXiv {m.paper.arxiv} v1 "
                   f"({first}); fine if the record dates an earlier official release")
    return out


def github_disagreements(repo: str, ids: list[str], entry: dict) -> list[str]:
    who = ", ".join(ids)
    status = entry.get("status")
    if status == "gone":
        return [f"{who}: repository {repo} is gone (404); check links.code"]
    out = []
    if status == "moved":
        out.append(f"{who}: repository {repo} now answers as {entry.get('full_name')}; "
                   "update links.code")
    if entry.get("archived"):
        out.append(f"{who}: repository {repo} is archived (read-only)")
    return out


_DURATION = re.compile(r"^(\d+)([smhdw]?)$")
_UNITS = {"s": "seconds", "m": "minutes", "h": "hours", "d": "days", "w": "weeks"}


def parse_duration(text: str, bare_unit: str = "d", example: str = "an age like 7d, 12h or 2w") -> dt.timedelta:
    """'30s', '15m', '12h', '7d', '2w', or a bare number of `bare_unit`."""
    match = _DURATION.match(text.strip())
    if not match:
        raise ValueError(f"{text!r} is not {example}")
    return dt.timedelta(**{_UNITS[match[2] or bare_unit]: int(match[1])})


def parse_age(text: str) -> dt.timedelta:
    """'7d', '12h', '2w' or a bare number of days."""
    return parse_duration(text, "d")
