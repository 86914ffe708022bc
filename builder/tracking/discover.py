"""`mmllm discover`: find recent arXiv papers that introduce new MM-LLMs and are not tracked yet.

The search (categories, phrases, window) and the classification rules are data
(`tracking/discover.yaml`; its comments and tracking/README.md document them). Every paper
the queries return is either already tracked (arXiv id, title similarity, model name: the
title's part before ':'), judged a new model by `classify.classify`, or judged not one; the
report lists all three with their reasons. The best ranked candidates, up to `max_drafts`,
become draft records in `drafts/` for a person to review; the rest of the candidates are
listed, ranked and grouped, never silently dropped. Nothing is written into `models/`. An
unusable entry of arXiv's answer is skipped and reported; the other papers still count.
"""
from __future__ import annotations

import datetime as dt
import difflib
import re
from dataclasses import dataclass, field, replace
from pathlib import Path

import yaml

from schema import ModelRecord

from . import arxiv
from .classify import Decision, RuleError, Rules, classify, load_rules
from .evaluate import LabelError, Reach, load_labels
from .learned import LearnedModel
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
    rules: Rules
    # each a query of its own: a phrase of every group ("LLM" and "speech"), for papers that
    # name a language model and a modality in their own words
    paired_phrases: tuple[tuple[tuple[str, ...], ...], ...] = ()
    phrases_per_query: int = 9
    window_days: int | None = 7
    max_results: int = 500
    similarity: float = 0.9
    max_drafts: int = 40

    @property
    def reach(self) -> Reach:
        return Reach(self.phrases, self.categories, self.paired_phrases)

    def queries(self, today: dt.date | None = None) -> list[str]:
        """The API search queries: the phrases in groups of `phrases_per_query`, then one query
        per `paired_phrases` entry (a phrase of each of its lists), each within the categories
        and, given `today`, the last `window_days` days of submissions."""
        cats = " OR ".join(f"cat:{c}" for c in self.categories)
        window = ""
        if today is not None and self.window_days:
            start = today - dt.timedelta(days=self.window_days)
            window = f" AND submittedDate:[{start:%Y%m%d}0000 TO {today:%Y%m%d}2359]"

        def any_of(phrases) -> str:
            return "(" + " OR ".join(f'{where}:"{p}"' for p in phrases for where in ("abs", "ti")) + ")"

        groups = [[self.phrases[i:i + self.phrases_per_query]]
                  for i in range(0, len(self.phrases), self.phrases_per_query)]
        groups += [list(pair) for pair in self.paired_phrases]
        out = []
        for group in groups:
            terms = " AND ".join(any_of(g) for g in group)
            out.append((f"({cats}) AND {terms}" if cats else terms) + window)
        return out


_KNOWN = {"categories", "phrases", "paired_phrases", "phrases_per_query", "window_days", "max_results",
          "similarity", "max_drafts", "threshold", "review_margin", "signals", "learned"}
_PHRASE = re.compile(r'^[^"()\\:]+$')  # what fits in a quoted API phrase


def _setting_lines(text: str) -> dict:
    """The line of each top-level setting (key) and of each item of a list setting ((key, i)),
    so an error can point at it; empty where the text does not compose."""
    try:
        node = yaml.compose(text)
    except yaml.YAMLError:
        return {}
    lines: dict = {}
    for key_node, value_node in node.value if isinstance(node, yaml.MappingNode) else []:
        lines[key_node.value] = key_node.start_mark.line + 1
        if isinstance(value_node, yaml.SequenceNode):
            for i, item in enumerate(value_node.value):
                lines[(key_node.value, i)] = item.start_mark.line + 1
    return lines


def load_config(path: Path) -> Config:
    """Read the discover settings; ConfigError (naming the file, line and field) when they are wrong."""
    try:
        text = path.read_text(encoding="utf-8")
        data = yaml.safe_load(text)
    except OSError as exc:
        raise ConfigError(f"{path}: cannot read ({exc.strerror})") from None
    except yaml.YAMLError as exc:
        raise ConfigError(f"{path}: not valid YAML ({exc})") from None
    if not isinstance(data, dict):
        raise ConfigError(f"{path}: expected a mapping of settings")
    lines = _setting_lines(text)

    def at(key: str, index: int | None = None) -> str:
        line = lines.get(key if index is None else (key, index)) or lines.get(key)
        return f"{path}:{line}" if line else str(path)

    for key in data:
        if key not in _KNOWN:
            raise ConfigError(f"{at(key)}: unknown setting {key!r}; known: {', '.join(sorted(_KNOWN))}")
    for key in ("categories", "phrases"):
        if not isinstance(data.get(key), list) or not all(isinstance(v, str) for v in data[key]):
            raise ConfigError(f"{at(key)}: {key}: required, a list of texts")
    if not data["phrases"]:
        raise ConfigError(f"{at('phrases')}: phrases: give at least one phrase to search for")
    paired = data.get("paired_phrases", [])
    if not isinstance(paired, list) or not all(
            isinstance(pair, list) and len(pair) >= 2
            and all(isinstance(g, list) and g and all(isinstance(v, str) for v in g) for g in pair)
            for pair in paired):
        raise ConfigError(f"{at('paired_phrases')}: paired_phrases: a list of entries, each two or more lists "
                          "of phrases (a paper must hold a phrase of every list), e.g. [[LLM], [speech, audio]]")
    placed = [(phrase, at("phrases", i)) for i, phrase in enumerate(data["phrases"])]
    placed += [(phrase, at("paired_phrases", i)) for i, pair in enumerate(paired) for g in pair for phrase in g]
    for phrase, where in placed:
        if not _PHRASE.match(phrase):
            raise ConfigError(f"{where}: phrases: {phrase!r} cannot be sent as a quoted phrase "
                              "(no quotes, brackets, backslashes or colons)")
    numbers = {"phrases_per_query": (int, 1), "window_days": (int, 0), "max_results": (int, 1),
               "similarity": (float, 0), "max_drafts": (int, 0)}
    values = {}
    for key, (kind, low) in numbers.items():
        if key not in data:
            continue
        value = data[key]
        if key == "window_days" and value is None:
            values[key] = None
            continue
        if isinstance(value, bool) or not isinstance(value, (int, float)) or (kind is int and value != int(value)):
            raise ConfigError(f"{at(key)}: {key}: must be {'a whole number' if kind is int else 'a number'}")
        if value < low:
            raise ConfigError(f"{at(key)}: {key}: must be at least {low}")
        values[key] = kind(value)
    try:
        rules = load_rules(data, path, at)
    except RuleError as exc:
        raise ConfigError(str(exc)) from None
    if data.get("learned") is not None:
        rules = replace(rules, learned=_learned(data["learned"], path, at("learned"), rules))
    return Config(categories=tuple(data["categories"]), phrases=tuple(data["phrases"]), rules=rules,
                  paired_phrases=tuple(tuple(tuple(g) for g in pair) for pair in paired), **values)


_LEARNED = {"labels": "the labelled papers to train on, relative to this file",
            "weight": "rule points a log-odds of 1 is worth", "l2": "shrinkage, e.g. 0.001",
            "epochs": "passes over the papers, e.g. 10"}


def _learned(data, path: Path, where: str, rules: Rules):
    """The `learned` setting: a model trained on the labelled papers (builder/tracking/learned.py)."""
    hint = "; ".join(f"{k}: {v}" for k, v in _LEARNED.items())
    if not isinstance(data, dict):
        raise ConfigError(f"{where}: learned: a mapping ({hint})")
    for key in data:
        if key not in _LEARNED:
            raise ConfigError(f"{where}: learned: unknown key {key!r}; known: {', '.join(_LEARNED)}")
    for key in _LEARNED:
        value = data.get(key)
        ok = (isinstance(value, str) and value.strip() if key == "labels" else
              isinstance(value, int) and not isinstance(value, bool) and value >= 1 if key == "epochs" else
              isinstance(value, (int, float)) and not isinstance(value, bool) and value >= 0)
        if not ok:
            raise ConfigError(f"{where}: learned.{key}: required, {_LEARNED[key]}")
    try:
        papers = load_labels(path.parent / data["labels"])
    except LabelError as exc:
        raise ConfigError(f"{where}: learned.labels: {exc}") from None
    return LearnedModel(tuple(papers), rules, float(data["l2"]), data["epochs"], float(data["weight"]))


@dataclass
class Candidate:
    paper: arxiv.Paper
    decision: Decision
    draft: str | None = None  # path written

    @property
    def score(self) -> float:
        return self.decision.score


@dataclass
class Discovery:
    """What one run found: ranked new candidates, the papers judged not to be new models,
    lines about papers dropped as already tracked, and lines about entries of arXiv's
    answers skipped as unusable."""
    candidates: list[Candidate] = field(default_factory=list)
    rejected: list[Candidate] = field(default_factory=list)
    dropped: list[str] = field(default_factory=list)
    skipped: list[str] = field(default_factory=list)
    queries: int = 0  # API requests sent
    papers: int = 0
    max_drafts: int = 0
    truncated: list[str] = field(default_factory=list)  # queries with more results than read


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


PAGE = 500  # results per API request; `max_results` caps a query's pages


def search(fetcher: Fetcher, config: Config, today: dt.date,
           api: str = Settings.arxiv_api) -> tuple[list[arxiv.Paper], dict[str, str], int, list[str]]:
    """Every query's answer, page by page up to `max_results`, merged (first occurrence of
    each arXiv id kept); the unusable entries; the number of requests; and a line per query
    with more results than were read. A query that fails fails the run (FetchError,
    MalformedFeed): a partial weekly answer would drop papers without saying so."""
    papers: dict[str, arxiv.Paper] = {}
    unusable: dict[str, str] = {}
    truncated: list[str] = []
    sent = 0
    for number, query in enumerate(config.queries(today), 1):
        start = 0
        while start < config.max_results:
            size = min(PAGE, config.max_results - start)
            found, bad, total = arxiv.search_page(fetcher, query, size, api, start)
            sent += 1
            for paper in found:
                papers.setdefault(paper.arxiv, paper)
            unusable.update(bad)
            start += size
            if total is None or total <= start or len(found) < size:
                break
        if total is not None and total > config.max_results:
            truncated.append(f"query {number}: {total} results, the newest {config.max_results} read "
                             "(raise max_results or shorten window_days)")
    return list(papers.values()), unusable, sent, truncated


def discover(root: Path, models: list[ModelRecord], fetcher: Fetcher, config: Config, *,
             today: dt.date, drafts_dir: Path | None = None, write: bool = True,
             settings: Settings = Settings()) -> Discovery:
    folder = drafts_dir or root / DRAFTS
    remove_stale_temporaries(folder)  # left by a run that was killed while writing
    papers, unusable, sent, truncated = search(fetcher, config, today, settings.arxiv_api)
    found = Discovery(skipped=[f"{where}: {why}" for where, why in unusable.items()], queries=sent,
                      papers=len(papers), max_drafts=config.max_drafts, truncated=truncated)
    drafted = existing_drafts(folder)
    for paper in papers:
        why = tracked_by(paper, models, drafted, config.similarity)
        if why:
            found.dropped.append(f"arXiv {paper.arxiv} {paper.title!r}: already tracked as {why}")
            continue
        decision = classify(paper.title, paper.summary, paper.categories, config.rules)
        (found.candidates if decision.is_model else found.rejected).append(Candidate(paper, decision))
    found.candidates = _rank(found.candidates)
    found.rejected = _rank(found.rejected)
    if write:
        taken = {m.id for m in models} | {Path(p).stem for p in drafted.values()}
        for c in found.candidates[: config.max_drafts]:
            rid, text = scaffold(c.paper, today=today, origin="mmllm discover", name=c.decision.name)
            if rid in taken:
                rid, text = scaffold(c.paper, record_id=f"{rid}-{c.paper.arxiv.replace('.', '-')}",
                                     today=today, origin="mmllm discover", name=c.decision.name)
            taken.add(rid)
            path = folder / f"{rid}.yaml"
            write_atomic(path, text.replace("\n", "\n" + "\n".join(draft_notes(c)) + "\n", 1))
            c.draft = str(path)
    return found


def draft_notes(c: Candidate) -> list[str]:
    """The comment lines a draft carries: what was read and why it was drafted, and per
    prefilled field where its value came from, so a reviewer can check it in minutes."""
    p, d = c.paper, c.decision
    cats = ", ".join(f"{x} (primary)" if x == p.primary_category else x for x in p.categories) or "none given"
    name_from = ("the title, before ':'" if guess_name(p.title) else
                 f"the abstract: {d.evidence!r}" if d.name else "nothing: fill it in")
    return [comment(f"Discovery score {d.score:g} (group {d.group or 'multimodal'}): {d.explain()}"),
            comment(f"Read from arXiv: https://arxiv.org/abs/{p.arxiv} (v{p.version or 1}), "
                    f"submitted {p.published}, categories {cats}"),
            comment(f"Evidence: paper.title and paper.arxiv from arXiv's entry; date from its first version "
                    f"({p.published[:10]}); name from {name_from}")]


def _rank(candidates: list[Candidate]) -> list[Candidate]:
    """Highest score first; equal scores newest first, then by arXiv id."""
    return sorted(candidates, key=lambda c: (-c.score, _neg_time(c.paper.published), c.paper.arxiv))


def _neg_time(stamp: str) -> float:
    try:
        return -dt.datetime.fromisoformat(stamp.replace("Z", "+00:00")).timestamp()
    except ValueError:
        return 0.0


def _md(text: str) -> str:
    """Fetched text inside the Markdown report: no table breaks, no HTML."""
    return (text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace("|", "\\|")
            .replace("[", "\\[").replace("]", "\\]"))


def _groups(items: list[Candidate], key) -> dict[str, list[Candidate]]:
    """Items by group, groups in order of their best ranked item; items keep their rank."""
    out: dict[str, list[Candidate]] = {}
    for c in items:
        out.setdefault(key(c), []).append(c)
    return out


def report_markdown(found: Discovery) -> str:
    beyond = [c for c in found.candidates if c.draft is None]
    lines = ["## mmllm discover", "",
             f"{found.papers} paper(s) from {found.queries} arXiv request(s): "
             f"{len(found.candidates)} new model candidate(s), "
             f"{sum(c.draft is not None for c in found.candidates)} drafted (cap {found.max_drafts}); "
             f"{len(found.rejected)} judged not a new model "
             f"({sum(c.decision.near_miss for c in found.rejected)} of them near misses); "
             f"{len(found.dropped)} already tracked.", ""]
    if found.truncated:
        lines += [f"### Queries with more results than were read ({len(found.truncated)})", "",
                  *[f"- {_md(s)}" for s in found.truncated], ""]
    if found.candidates:
        lines += [f"### New model candidates ({len(found.candidates)}), ranked, by group", ""]
        ranks = {id(c): i for i, c in enumerate(found.candidates, 1)}
        for group, items in _groups(found.candidates, lambda c: c.decision.group or "multimodal").items():
            lines += [f"#### {group} ({len(items)})", "",
                      "| rank | score | arXiv | title | draft | reasons |", "|---:|---:|---|---|---|---|"]
            for c in items:
                rank = ranks[id(c)]
                draft = c.draft or f"beyond the cap: `mmllm new {c.paper.arxiv}`"
                lines.append(f"| {rank} | {c.score:g} | [{c.paper.arxiv}](https://arxiv.org/abs/{c.paper.arxiv}) | "
                             f"{_md(c.paper.title)} | {_md(draft)} | {_md(c.decision.explain())} |")
            lines.append("")
        if beyond:
            lines += [f"{len(beyond)} candidate(s) beyond the draft cap are listed above, not drafted: "
                      "draft one with `mmllm new ARXIV_ID`, or raise `max_drafts`.", ""]
    near = [c for c in found.rejected if c.decision.near_miss]
    if near:
        lines += [f"### Near misses ({len(near)}): not drafted, but close to the threshold; glance at the titles", "",
                  "Papers that name a multimodal model kind and score within `review_margin` of `threshold`, "
                  "ranked. Model papers that describe themselves modestly land here; draft one with "
                  "`mmllm new ARXIV_ID`.", "",
                  f"<details><summary>{len(near)} near miss(es)</summary>", "",
                  "| score | arXiv | title | looks like | reasons |", "|---:|---|---|---|---|"]
        lines += [f"| {c.score:g} | [{c.paper.arxiv}](https://arxiv.org/abs/{c.paper.arxiv}) | {_md(c.paper.title)} | "
                  f"{_md(c.decision.kind)} | {_md(c.decision.explain())} |" for c in near]
        lines += ["", "</details>", ""]
    rest = [c for c in found.rejected if not c.decision.near_miss]
    if rest:
        lines += [f"### Judged not a new model ({len(rest)}), by what they look like", ""]
        for kind, items in _groups(rest, lambda c: c.decision.kind).items():
            lines += [f"<details><summary>{_md(kind)} ({len(items)})</summary>", ""]
            lines += [f"- [{c.paper.arxiv}](https://arxiv.org/abs/{c.paper.arxiv}) {_md(c.paper.title)}: "
                      f"score {c.score:g}; {_md(c.decision.explain())}" for c in items]
            lines += ["", "</details>", ""]
    if found.dropped:
        lines += [f"<details><summary>Already tracked ({len(found.dropped)})</summary>", "",
                  *[f"- {_md(s)}" for s in found.dropped], "", "</details>", ""]
    if found.skipped:
        lines += [f"### Entries of arXiv's answer skipped as unusable ({len(found.skipped)})", "",
                  *[f"- {_md(s)}" for s in found.skipped], ""]
    return "\n".join(lines)
