"""`mmllm discover`: find recent arXiv papers that look like MM-LLMs and are not tracked yet.

The query, the categories and the ranking weights are data (`tracking/discover.yaml`; its
comments document the score). Papers already tracked are dropped by arXiv id, by title
similarity and by model name (the title's part before ':'); the rest are ranked, and the best become draft records in `drafts/` for a person
to review. Nothing is written into `models/`. An unusable entry of arXiv's answer is
skipped and reported; the other papers of the answer still count.
"""
from __future__ import annotations

import datetime as dt
import difflib
import re
from dataclasses import dataclass, field
from pathlib import Path

import yaml

from schema import ModelRecord

from . import arxiv
from .net import Fetcher, remove_stale_temporaries, write_atomic
from .scaffold import comment, guess_name, scaffold
from .settings import Settings
from .sync import normal_title

CONFIG = Path("tracking") / "discover.yaml"
DRAFTS = Path("drafts")


class ConfigError(ValueError):
    pass


@dataclass(frozen=True)
class Config:
    categories: tuple[str, ...]
    phrases: tuple[str, ...]
    keywords: dict[str, float]
    max_results: int = 100
    category_bonus: float = 1.0
    min_score: float = 4.0
    similarity: float = 0.9
    max_drafts: int = 10

    def query(self) -> str:
        cats = " OR ".join(f"cat:{c}" for c in self.categories)
        terms = " OR ".join(f'{field}:"{p}"' for p in self.phrases for field in ("abs", "ti"))
        return f"({cats}) AND ({terms})" if cats else f"({terms})"


_REQUIRED = {"categories": list, "phrases": list, "keywords": dict}


def load_config(path: Path) -> Config:
    """Read the discover settings; ConfigError (naming the file and field) when they are wrong."""
    try:
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
    except OSError as exc:
        raise ConfigError(f"{path}: cannot read ({exc.strerror})") from None
    except yaml.YAMLError as exc:
        raise ConfigError(f"{path}: not valid YAML ({exc})") from None
    if not isinstance(data, dict):
        raise ConfigError(f"{path}: expected a mapping of settings")
    known = {"categories", "phrases", "keywords", "max_results", "category_bonus", "min_score",
             "similarity", "max_drafts"}
    for key in data:
        if key not in known:
            raise ConfigError(f"{path}: unknown setting {key!r}; known: {', '.join(sorted(known))}")
    for key, kind in _REQUIRED.items():
        if not isinstance(data.get(key), kind):
            raise ConfigError(f"{path}: {key}: required, a {kind.__name__}")
    if not data["phrases"]:
        raise ConfigError(f"{path}: phrases: give at least one phrase to search for")
    for k, v in data["keywords"].items():
        if not isinstance(v, (int, float)) or isinstance(v, bool):
            raise ConfigError(f"{path}: keywords.{k}: the weight must be a number")
    try:
        return Config(categories=tuple(map(str, data["categories"])), phrases=tuple(map(str, data["phrases"])),
                      keywords={str(k).lower(): float(v) for k, v in data["keywords"].items()},
                      max_results=int(data.get("max_results", 100)),
                      category_bonus=float(data.get("category_bonus", 1.0)),
                      min_score=float(data.get("min_score", 4.0)),
                      similarity=float(data.get("similarity", 0.9)),
                      max_drafts=int(data.get("max_drafts", 10)))
    except (TypeError, ValueError) as exc:
        raise ConfigError(f"{path}: {exc}") from None


def score(paper: arxiv.Paper, config: Config) -> tuple[float, list[str]]:
    """The documented score and the reasons (for the report)."""
    total, why = 0.0, []
    title, abstract = paper.title.lower(), paper.summary.lower()
    for keyword, weight in config.keywords.items():
        pattern = re.compile(r"(?<![a-z0-9])" + re.escape(keyword) + r"s?(?![a-z0-9])")
        if pattern.search(title):
            total += 2 * weight
            why.append(f"{keyword} (title) {2 * weight:+g}")
        elif pattern.search(abstract):
            total += weight
            why.append(f"{keyword} {weight:+g}")
    if paper.primary_category in config.categories and config.category_bonus:
        total += config.category_bonus
        why.append(f"{paper.primary_category} {config.category_bonus:+g}")
    return total, why


@dataclass
class Candidate:
    paper: arxiv.Paper
    score: float
    reasons: list[str]
    draft: str | None = None  # path written


@dataclass
class Discovery:
    """What one run found: ranked new candidates, lines about papers dropped as already
    tracked, and lines about entries of arXiv's answer skipped as unusable."""
    candidates: list[Candidate] = field(default_factory=list)
    dropped: list[str] = field(default_factory=list)
    skipped: list[str] = field(default_factory=list)


def tracked_by(paper: arxiv.Paper, models: list[ModelRecord], drafted: dict[str, str],
               similarity: float) -> str | None:
    """Why `paper` is already tracked (a record id or a draft), or None."""
    for m in models:
        if m.paper and m.paper.arxiv == paper.arxiv:
            return f"{m.id} (same arXiv id)"
    if paper.arxiv in drafted:
        return f"{drafted[paper.arxiv]} (draft)"
    matcher = difflib.SequenceMatcher(None, autojunk=False)
    matcher.set_seq2(normal_title(paper.title))  # bounded length: see normal_title
    for m in models:
        if m.paper and m.paper.title:  # a record may give only the arXiv id
            matcher.set_seq1(normal_title(m.paper.title))
            if matcher.real_quick_ratio() < similarity or matcher.quick_ratio() < similarity:
                continue  # upper bounds of ratio(), far cheaper
            ratio = matcher.ratio()
            if ratio >= similarity:
                return f"{m.id} (title {ratio:.0%} similar)"
    name = guess_name(paper.title)
    if name:
        for m in models:
            if name.casefold() in {m.name.casefold(), *(a.casefold() for a in m.aliases)}:
                return f"{m.id} (same model name {name!r})"
    return None


def existing_drafts(folder: Path) -> dict[str, str]:
    """arXiv id -> draft file, read leniently from drafts already written."""
    out = {}
    for path in sorted(folder.glob("*.yaml")) if folder.is_dir() else []:
        match = re.search(r"^\s+arxiv:\s*'?(\d{4}\.\d{4,5})", path.read_text(encoding="utf-8", errors="replace"), re.M)
        if match:
            out[match[1]] = str(path)
    return out


def discover(root: Path, models: list[ModelRecord], fetcher: Fetcher, config: Config, *,
             today: dt.date, drafts_dir: Path | None = None, write: bool = True,
             settings: Settings = Settings()) -> Discovery:
    folder = drafts_dir or root / DRAFTS
    remove_stale_temporaries(folder)  # left by a run that was killed while writing
    papers, unusable = arxiv.search(fetcher, config.query(), config.max_results, settings.arxiv_api)
    found = Discovery(skipped=[f"{where}: {why}" for where, why in unusable.items()])
    drafted = existing_drafts(folder)
    for paper in papers:
        why = tracked_by(paper, models, drafted, config.similarity)
        if why:
            found.dropped.append(f"arXiv {paper.arxiv} {paper.title!r}: already tracked as {why}")
            continue
        value, reasons = score(paper, config)
        if value >= config.min_score:
            found.candidates.append(Candidate(paper, value, reasons))
    found.candidates = _rank(found.candidates)
    if write:
        taken = {m.id for m in models} | {Path(p).stem for p in drafted.values()}
        for c in found.candidates[: config.max_drafts]:
            rid, text = scaffold(c.paper, today=today, origin="mmllm discover")
            if rid in taken:
                rid, text = scaffold(c.paper, record_id=f"{rid}-{c.paper.arxiv.replace('.', '-')}",
                                     today=today, origin="mmllm discover")
            taken.add(rid)
            header = comment(f"Discovery score {c.score:g}: {'; '.join(c.reasons)}")
            path = folder / f"{rid}.yaml"
            write_atomic(path, text.replace("\n", "\n" + header + "\n", 1))
            c.draft = str(path)
    return found


def _rank(candidates: list[Candidate]) -> list[Candidate]:
    """Highest score first; equal scores newest first, then by arXiv id."""
    return sorted(candidates, key=lambda c: (-c.score, _neg_time(c.paper.published), c.paper.arxiv))


def _neg_time(stamp: str) -> float:
    try:
        return -dt.datetime.fromisoformat(stamp.replace("Z", "+00:00")).timestamp()
    except ValueError:
        return 0.0


def report_markdown(found: Discovery) -> str:
    lines = ["## mmllm discover", "",
             f"{len(found.candidates)} candidate(s) not yet tracked; {len(found.dropped)} result(s) "
             "already tracked.", ""]
    if found.candidates:
        lines += ["| score | arXiv | title | draft |", "|---:|---|---|---|"]
        for c in found.candidates:
            title = c.paper.title.replace("|", "\\|")
            lines.append(f"| {c.score:g} | [{c.paper.arxiv}](https://arxiv.org/abs/{c.paper.arxiv}) | "
                         f"{title} | {c.draft or '—'} |")
        lines.append("")
    if found.skipped:
        lines += [f"### Entries of arXiv's answer skipped as unusable ({len(found.skipped)})", "",
                  *[f"- {s}" for s in found.skipped], ""]
    return "\n".join(lines)
