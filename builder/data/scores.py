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
  best per column are marked (rank 1 and 2).
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field

from schema import ModelRecord
from schema import vocabularies as vocab
from schema.model import Result, size_value

from .families import family_of_name

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
    return family_of_name("llm", llm) if llm else "unknown"


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


# -- leaderboards and best scores ----------------------------------------------------------

@dataclass
class Entry:
    """One score in a benchmark's leaderboard; equal scores share a rank."""
    model: ModelRecord
    result: Result
    rank: int


def best_per_benchmark(model: ModelRecord) -> list[tuple[str, Result, int]]:
    """Per benchmark, in the survey's column order: the best score and how many there are."""
    out = []
    for key, bench in vocab.benchmarks().items():
        scores = [r for r in model.results if r.benchmark == key]
        if scores:
            best = (max if bench.higher_is_better else min)(scores, key=lambda r: r.normalized)
            out.append((key, best, len(scores)))
    return out


def leaderboard(key: str, models: list[ModelRecord]) -> list[Entry]:
    """Every score on one benchmark, best first on the benchmark's own scale; equal scores
    share a rank. Conflicting scores of one variant from different sources are all listed."""
    bench = vocab.benchmarks()[key]
    pairs = [(m, r) for m in models for r in m.results if r.benchmark == key]
    sign = -1 if bench.higher_is_better else 1
    pairs.sort(key=lambda p: (sign * p[1].normalized, p[0].name.casefold(), p[1].variant or "",
                              preference(p[1])))
    out, prev, rank = [], None, 0
    for i, (m, r) in enumerate(pairs, 1):
        if r.normalized != prev:
            rank, prev = i, r.normalized
        out.append(Entry(m, r, rank))
    return out
