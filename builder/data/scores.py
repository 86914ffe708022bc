"""The score data of the site: every benchmark result as rows, ranks, leaderboards and best
scores, as plain dataclasses and no HTML. Pages (builder.pages.results, the model pages),
exports and charts read the results through this module only.

Benchmark metadata comes only from `schema.vocabularies.benchmarks()`. Rules (also stated on
the pages):
- a comparison row is one model variant: (record, name as printed, variant, LLM); its LLM is
  the one its sources print, else the record's LLM backbone (marked as such); rows come newest
  first;
- a comparison cell shows one of the row's scores for that benchmark, chosen by source kind
  (survey table, then papers, READMEs and model cards, then leaderboards, then third-party
  tables), then without a special setting, then by split; the other scores are on the model's
  page and in the per-benchmark leaderboards, where every score is listed;
- ranking uses the score on the benchmark's own scale (`Result.normalized`); best and second
  best per column are marked (rank 1 and 2);
- a leaderboard (`boards`) is per protocol, the split and setting a score was measured under
  (normalised, with the aliases of the benchmark's record): scores under different protocols
  are never ranked together. It has one standing per model, its best score under the
  protocol, ranked by competition ranking (equal scores share a rank, the next one skips:
  1, 2, 2, 4). A benchmark's main protocol is its record's `main_protocol`, else the protocol
  with the most models.
"""
from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass, field
from functools import cache

from schema import ModelRecord
from schema import vocabularies as vocab
from schema.model import Result, size_value

from .families import family_of, family_of_name

KIND_RANK = {"survey-table": 0, "paper-table": 1, "paper": 1, "readme": 2, "model-card": 2,
             "project-page": 2, "leaderboard": 3, "third-party": 4, "survey": 5}
KIND_CODE = {"survey-table": "s", "paper-table": "p", "paper": "p", "readme": "r",
             "model-card": "r", "project-page": "r", "leaderboard": "l", "third-party": "t",
             "survey": "s"}
SPLIT_RANK = {None: 0, "val": 1, "testmini": 2, "test": 3}
GROUP_LABELS = {"survey-table-2": "The survey's Table 2", "newer": "Newer benchmarks"}
SURVEY_KIND = "survey-table"


def llm_family(llm: str | None) -> str:
    """The family of an LLM as a score's source prints it (free text, e.g. 'Vicuna-13B')."""
    return _llm_family(llm) if llm else "unknown"


@cache
def _llm_family(llm: str) -> str:
    return family_of_name("llm", llm)


_SIZE = re.compile(r"(\d+(?:\.\d+)?)\s*B\b")


def size_of(*texts: str | None) -> float | None:
    """Parameters in billions, as printed first in the variant, else in the LLM name."""
    for text in texts:
        m = _SIZE.search(text or "")
        if m:
            return float(m.group(1))
    return None


def benchmark_columns() -> list[vocab.Benchmark]:
    """Benchmarks in the survey's order, grouped: Table 2's 18, then the newer ones."""
    benches = list(vocab.benchmarks().values())
    order = {g: i for i, g in enumerate(GROUP_LABELS)}
    return sorted(benches, key=lambda b: order.get(b.group, len(order)))  # stable within a group


def column_groups() -> list[tuple[str, str, list[vocab.Benchmark]]]:
    groups: dict[str, list] = {}
    for b in benchmark_columns():
        groups.setdefault(b.group, []).append(b)
    return [(g, GROUP_LABELS.get(g, g), bs) for g, bs in groups.items()]


# -- rows ----------------------------------------------------------------------------------

def preference(r: Result) -> tuple:
    return (KIND_RANK.get(r.source_kind, 9), r.setting is not None,
            SPLIT_RANK.get(r.split, 9), r.split or "")


@dataclass
class Cell:
    """The score a comparison row shows for one benchmark."""
    result: Result
    others: int = 0  # further scores of the row for this benchmark
    rank: int = 0  # 1 best, 2 second best in its column, 0 otherwise

    @property
    def code(self) -> str:
        return KIND_CODE.get(self.result.source_kind, "t")

    @property
    def detail(self) -> str:
        """Split, setting and printed scale, for the cell's tooltip ('' when none)."""
        r = self.result
        bits = [b for b in (r.split, r.setting) if b]
        if r.printed_scale is not None:
            bits.append(f"printed on 0-{r.printed_scale:g}")
        return " · ".join(bits)


def record_llms(model: ModelRecord) -> list[str]:
    """The names of the record's LLM backbone, without sizes ([] when unknown)."""
    backbone = model.architecture.llm_backbone if model.architecture else "unknown"
    return [] if isinstance(backbone, str) else [entry.name for entry in backbone]


@dataclass
class Row:
    """One row of the comparison: a model variant, all its results, and per benchmark key
    the cell shown for it."""
    model: ModelRecord
    label: str
    variant: str
    source_llm: str  # as the row's most preferred source naming one prints it; '' when none does
    results: list[Result] = field(default_factory=list)
    cells: dict[str, Cell] = field(default_factory=dict)

    @property
    def llm_from_record(self) -> bool:
        """True when no source of the row names its LLM and the record's backbone is shown."""
        return not self.source_llm and bool(record_llms(self.model))

    @property
    def llm(self) -> str:
        return self.source_llm or " / ".join(record_llms(self.model))

    @property
    def size(self) -> float | None:
        # the record's backbone may list several sizes: only a source's own name, or the
        # record's variant of that name, says which
        size = size_of(self.variant, self.source_llm)
        if size is None and self.variant:
            for v in self.model.variants:
                if v.params and v.name.casefold() == self.variant.casefold():
                    return size_value(v.params) / 1e9
        return size

    @property
    def family(self) -> str:
        names = [self.source_llm] if self.source_llm else record_llms(self.model)
        return llm_family(names[0] if names else None)

    @property
    def kinds(self) -> list[str]:
        # ties by name: a set has no order, and pages must not change from build to build
        return sorted({r.source_kind for r in self.results}, key=lambda k: (KIND_RANK.get(k, 9), k))

    @property
    def open(self) -> str:
        w = self.model.open_weights
        return "yes" if w else ("no" if w is False else "unknown")


def rows_of(models: list[ModelRecord], kinds: set[str] | None = None) -> list[Row]:
    """One row per model variant (record, name as printed, variant), newest first (then by
    name and size). The LLM shown is the one printed by the row's most preferred source that
    names one, else the record's LLM backbone."""
    rows: dict[tuple, Row] = {}
    for m in models:
        for r in m.results:
            if kinds is not None and r.source_kind not in kinds:
                continue
            label = r.reported_as or m.name
            key = (m.id, label.casefold(), (r.variant or "").casefold())
            row = rows.get(key)
            if row is None:
                row = rows[key] = Row(m, label, r.variant or "", "")
            row.results.append(r)
    for row in rows.values():
        named = [r for r in row.results if r.llm]
        row.source_llm = min(named, key=preference).llm if named else ""
    out = sorted(rows.values(), key=lambda w: (w.model.name.casefold(), w.label.casefold(),
                                               w.size or 0, w.variant))
    out.sort(key=lambda w: w.model.date, reverse=True)  # stable: name and size order kept
    for row in out:
        by_bench: dict[str, list[Result]] = {}
        for r in row.results:
            by_bench.setdefault(r.benchmark, []).append(r)
        for key, results in by_bench.items():
            best = min(results, key=preference)
            row.cells[key] = Cell(best, others=len(results) - 1)
    mark_ranks(out)
    return out


def mark_ranks(rows: list[Row]) -> None:
    """Best and second best value per column (ties share the mark)."""
    for key, bench in vocab.benchmarks().items():
        values = sorted({row.cells[key].result.normalized for row in rows if key in row.cells},
                        reverse=bench.higher_is_better)
        top = values[:2]
        for row in rows:
            cell = row.cells.get(key)
            if cell is not None:
                v = cell.result.normalized
                cell.rank = top.index(v) + 1 if v in top else 0


def survey_rows(models: list[ModelRecord]) -> list[Row]:
    """The rows of the survey's Table 2, oldest first as there."""
    rows = rows_of(models, kinds={SURVEY_KIND})
    return sorted(rows, key=lambda w: w.model.date)  # stable: name and size order kept


# -- best scores ---------------------------------------------------------------------------

def best_per_benchmark(model: ModelRecord) -> list[tuple[str, Result, int]]:
    """Per benchmark, in the survey's column order: the best score and how many there are."""
    out = []
    for key, bench in vocab.benchmarks().items():
        scores = [r for r in model.results if r.benchmark == key]
        if scores:
            best = (max if bench.higher_is_better else min)(scores, key=lambda r: r.normalized)
            out.append((key, best, len(scores)))
    return out


# -- protocols and per-protocol leaderboards -----------------------------------------------
# A protocol is what a score was measured under: the split and the setting as the source
# prints them (zero-shot, CoT, judge model...), normalised (case, spaces, and the aliases a
# benchmark record lists). Scores under different protocols are never ranked together.

_NON_SLUG = re.compile(r"[^a-z0-9.]+")


def _slug(text: str) -> str:
    return _NON_SLUG.sub("-", text.casefold()).strip("-") or "x"


@dataclass(frozen=True)
class Protocol:
    split: str | None  # normalised: single spaces, aliases applied; None: not stated
    setting: str | None

    @property
    def key(self) -> str:
        """URL-safe and stable: 'val', 'testmini', 'test_zero-shot', 'unstated_w-o-subtitles'."""
        key = _slug(self.split) if self.split else "unstated"
        return key + (f"_{_slug(self.setting)}" if self.setting else "")

    @property
    def label(self) -> str:
        split = self.split or "split not stated"
        return split + (f" · {self.setting}" if self.setting else "")


def _normal(text: str | None, aliases: dict[str, str]) -> str | None:
    if text is None:
        return None
    text = " ".join(text.split())
    return aliases.get(text.casefold(), text)


def protocol_of(r: Result) -> Protocol:
    bench = vocab.benchmarks()[r.benchmark]
    aliases = {k.casefold(): v for k, v in bench.protocol_aliases}
    return Protocol(_normal(r.split, aliases), _normal(r.setting, aliases))


@dataclass(frozen=True)
class ModelSize:
    """Parameters in billions, and where they come from: 'variant' (the record's variant of
    that name), 'name' (the variant as the source prints it, e.g. '7B') or 'LLM' (the LLM as
    the source prints it)."""
    total: float
    active: float | None
    basis: str


_MOE_SIZE = re.compile(r"(\d+(?:\.\d+)?)B-A(\d+(?:\.\d+)?)B\b")


def _plain(text: str) -> str:
    return re.sub(r"[\s_\-]+", "", text.casefold())


def size_for(model: ModelRecord, r: Result) -> ModelSize | None:
    """The size of the variant a score is for: the record variant's params when the result
    names that variant (or the model has one variant and the result names none), else the
    size printed in the variant, else in the LLM."""
    named = {_plain(v.name): v for v in model.variants}
    wanted = [t for t in (r.variant, r.reported_as) if t]
    variant = next((named[_plain(t)] for t in wanted if _plain(t) in named), None)
    if variant is None and not r.variant and len(model.variants) == 1:
        variant = model.variants[0]
    if variant is not None and variant.params:
        active = size_value(variant.active_params) / 1e9 if variant.active_params else None
        return ModelSize(size_value(variant.params) / 1e9, active, "variant")
    for text in wanted:  # a mixture of experts printed as total and active, '235B-A22B'
        m = _MOE_SIZE.search(text)
        if m:
            return ModelSize(float(m.group(1)), float(m.group(2)), "name")
    for text, basis in ((r.variant, "name"), (r.llm, "LLM")):
        b = size_of(text)
        if b is not None:
            return ModelSize(b, None, basis)
    return None


@dataclass
class Standing:
    """One model in one protocol's leaderboard: its best score there, its rank (competition
    ranking: equal scores share a rank, the next rank skips, 1, 2, 2, 4) and its other scores
    under the same protocol, best first. Families: the LLM's as the best score's source
    prints it, else those of the record's LLMs; the record's encoders' (' / ' between)."""
    model: ModelRecord
    best: Result
    rank: int
    others: list[Result]
    size: ModelSize | None
    llm_family: str = "unknown"
    encoder_family: str = "unknown"

    @property
    def open(self) -> str:
        w = self.model.open_weights
        return "yes" if w else ("no" if w is False else "unknown")


STAGE_OF_KIND = {"encoder": "modality_encoder", "llm": "llm_backbone"}


def model_families(model: ModelRecord, kind: str) -> list[str]:
    """The families of a model's encoders or LLMs, in the record's order, each once."""
    items = getattr(model.architecture, STAGE_OF_KIND[kind]) if model.architecture else "unknown"
    if isinstance(items, str):
        return []
    return list(dict.fromkeys(family_of(kind, item) for item in items))


@dataclass
class Board:
    """The leaderboard of one benchmark under one protocol: one standing per model."""
    bench: vocab.Benchmark
    protocol: Protocol
    main: bool
    standings: list[Standing]


def _better_first(bench: vocab.Benchmark):
    sign = -1 if bench.higher_is_better else 1
    return lambda r: (sign * r.normalized, preference(r), r.variant or "")


def model_family_names(models: list[ModelRecord]) -> dict[str, tuple[str, str]]:
    """Model id -> (LLM families, encoder families), each joined by ' / ' ('unknown' when
    none): computed once per model, as family rules are not free."""
    return {m.id: (" / ".join(model_families(m, "llm")) or "unknown",
                   " / ".join(model_families(m, "encoder")) or "unknown")
            for m in models if m.results}


def boards(key: str, models: list[ModelRecord]) -> list[Board]:
    """One board per protocol of a benchmark: the main protocol first (the record's
    `main_protocol`, else the one with the most models), then by number of models."""
    pairs = [(m, r) for m in models for r in m.results if r.benchmark == key]
    return _boards(key, pairs, model_family_names([m for m, _ in pairs]))


def _boards(key: str, pairs: list[tuple[ModelRecord, Result]],
            families: dict[str, tuple[str, str]]) -> list[Board]:
    bench = vocab.benchmarks()[key]
    order = _better_first(bench)
    by_protocol: dict[str, dict[str, list[Result]]] = {}  # protocol key -> model id -> scores
    spellings: dict[str, Counter] = {}  # protocol key -> its spellings: the commonest is shown
    models_by_id = {}
    for m, r in pairs:
        p = protocol_of(r)
        by_protocol.setdefault(p.key, {}).setdefault(m.id, []).append(r)
        spellings.setdefault(p.key, Counter())[p] += 1
        models_by_id[m.id] = m
    out = []
    for pkey, per_model in by_protocol.items():
        protocol = min(spellings[pkey].items(),
                       key=lambda kv: (-kv[1], kv[0].split or "", kv[0].setting or ""))[0]
        standings = []
        for mid, results in per_model.items():
            results.sort(key=order)
            m, best = models_by_id[mid], results[0]
            llm, encoder = families[mid]
            standings.append(Standing(m, best, 0, results[1:], size_for(m, best),
                                      _llm_family(best.llm) if best.llm else llm, encoder))
        standings.sort(key=lambda s: (order(s.best), s.model.name.casefold(), s.model.id))
        prev = None
        for i, s in enumerate(standings, 1):
            if s.best.normalized != prev:
                rank, prev = i, s.best.normalized
            s.rank = rank
        out.append(Board(bench, protocol, False, standings))
    out.sort(key=lambda b: (-len(b.standings), b.protocol.key))
    main = next((b for b in out if b.protocol.key == bench.main_protocol), out[0] if out else None)
    if main is not None:
        main.main = True
        out.remove(main)
        out.insert(0, main)
    return out


def all_boards(models: list[ModelRecord]) -> dict[str, list[Board]]:
    """Benchmark key -> its boards (see `boards`), in the survey's column order."""
    pairs: dict[str, list] = {}
    for m in models:
        for r in m.results:
            pairs.setdefault(r.benchmark, []).append((m, r))
    families = model_family_names(models)
    return {key: _boards(key, pairs[key], families) for key in vocab.benchmarks() if key in pairs}


def standings_of(boards_by_key: dict[str, list[Board]]) -> dict[str, list[tuple[Board, Standing]]]:
    """Model id -> every (board, standing) it has, by benchmark then protocol order."""
    out: dict[str, list[tuple[Board, Standing]]] = {}
    for bs in boards_by_key.values():
        for board in bs:
            for s in board.standings:
                out.setdefault(s.model.id, []).append((board, s))
    return out


def frontier(board: Board) -> list[Standing]:
    """The best-so-far frontier over release date: each standing that beat every earlier one."""
    better = (lambda a, b: a > b) if board.bench.higher_is_better else (lambda a, b: a < b)
    out: list[Standing] = []
    for s in sorted(board.standings, key=lambda s: (s.model.date, s.model.name.casefold())):
        if not out or better(s.best.normalized, out[-1].best.normalized):
            out.append(s)
    return out
