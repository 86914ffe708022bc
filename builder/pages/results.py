"""Benchmark results -> the comparison page, the survey's Table 2, one leaderboard per
benchmark, and the results pages of models with many scores. HTML only: the rows, ranks and
leaderboards come from builder.data.scores.

Rules the pages follow (also stated on the pages): a score is shown as the source prints it,
and links to that source; best and second best per column are marked by colour and by a text
marker (see builder.data.scores for how cells are chosen and ranked).
"""
from __future__ import annotations

from markupsafe import Markup

from schema import ModelRecord

from builder.data.scores import (KIND_CODE, KIND_RANK, Cell, benchmark_columns, column_groups,
                                 all_boards, rows_of, survey_rows)

from .kit import front_matter, io_label, render
from .leaderboard import frontiers_html, rank_lines


def fmt_size(size: float | None) -> str:
    return "" if size is None else f"{size:g}B"


def sort_value(cell: Cell) -> str:
    """data-v for a cell, only when the shown number is not the ranking value."""
    r = cell.result
    shown = r.shown
    try:
        same = float(shown) == r.normalized
    except ValueError:
        same = False
    return "" if same else f"{r.normalized:.6g}"


# -- pages ---------------------------------------------------------------------------------

def model_link(model: ModelRecord, prefix: str) -> str:
    return f"{prefix}models/{model.id}/"


def comparison_html(models: list[ModelRecord], prefix: str = "../") -> str:
    """The interactive comparison table (complete without JS) and its controls."""
    rows = rows_of(models)
    groups = column_groups()
    facets = {
        "io": sorted({io_label(r.model) for r in rows}),
        "fam": sorted({r.family for r in rows}),
        "year": sorted({str(r.model.date.year) for r in rows}),
        # ties by name: a set has no order, and the page must not change from build to build
        "kind": sorted({k for r in rows for k in r.kinds}, key=lambda k: (KIND_RANK.get(k, 9), k)),
    }
    return render("results/_comparison.j2", rows=rows, groups=groups, facets=facets,
                  prefix=prefix, io_label=io_label, fmt_size=fmt_size, sort_value=sort_value,
                  kind_code=KIND_CODE)


def survey_html(models: list[ModelRecord], prefix: str = "../") -> str:
    """Exactly the survey's Table 2: its rows (`survey-table` results) and its 18 columns."""
    rows = survey_rows(models)
    cols = [b for b in benchmark_columns() if b.group == "survey-table-2"]
    return render("results/_survey.j2", rows=rows, cols=cols, prefix=prefix)


def benchmarks_index(models: list[ModelRecord], benchmarks: list, boards: dict | None = None) -> str:
    """The page at benchmarks/: the comparison table, the survey's Table 2, the best score so
    far per benchmark (`boards`: builder.data.scores.all_boards), then every benchmark record
    of the catalogue."""
    n_results = sum(len(m.results) for m in models)
    description = (f"{n_results} reported scores of MM-LLMs on {len(benchmark_columns())} "
                   "benchmarks side by side, the survey's Table 2, and every benchmark's leaderboard.")
    # a wide table: Material's navigation and table-of-contents columns are hidden here
    return front_matter("Benchmarks", description, hide=("navigation", "toc")) + render(
        "results/benchmarks_index.md.j2", comparison=Markup(comparison_html(models)),
        survey=Markup(survey_html(models)), n_results=n_results, groups=column_groups(),
        frontiers=Markup(frontiers_html(all_boards(models) if boards is None else boards)),
        n_models=sum(1 for m in models if m.results),
        benchmarks=sorted(benchmarks, key=lambda b: b.position))


# A model page lists every score up to this many; beyond it, the page shows the best score per
# benchmark and the full list moves to models/<id>/results/ (model pages stay small).
INLINE_RESULTS_MAX = 12


def model_results_pages(models: list[ModelRecord], standings: dict | None = None) -> dict[str, str]:
    """models/<id>/results/ for the models whose scores are too many for their own page, with
    their place under every protocol (`standings`: builder.data.scores.standings_of)."""
    standings = standings or {}
    return {f"models/{m.id}/results/index.md":
            # no description, so not searchable: the model's page is the one to find
            front_matter(f"{m.name}: benchmark results", hide=("toc",)) +
            render("results/model_results_page.md.j2", m=m,
                   ranks=rank_lines(m, standings.get(m.id, []), prefix="../../../"))
            for m in models if len(m.results) > INLINE_RESULTS_MAX}


def results_pages(models: list[ModelRecord], benchmarks: list, boards: dict | None = None) -> dict[str, str]:
    """The comparison page; each benchmark's own page (with its leaderboard) comes from
    builder.pages.catalogue, which has the benchmark records."""
    return {"benchmarks/index.md": benchmarks_index(models, benchmarks, boards)}
