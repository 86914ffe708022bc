"""builder/data/scores.py, the one model of the results: rows, cells, ranks, leaderboards and
best scores from made-up records, with no HTML involved."""
from __future__ import annotations

import datetime as dt

from builder.data import scores
from schema.model import ModelRecord

BASE = dict(added="2024-06-01", io={"input": ["image", "text"], "output": ["text"]},
            functional=["understanding"], design="end-to-end",
            sources=[{"url": "https://example.org"}])


def model(mid: str, date: str, *results: dict) -> ModelRecord:
    return ModelRecord.model_validate({**BASE, "id": mid, "name": mid.upper(), "date": date,
                                       "results": [{"source": f"https://example.org/{mid}",
                                                    "source_kind": "paper-table", **r}
                                                   for r in results]})


def test_a_row_is_one_variant_and_its_cell_the_preferred_source():
    m = model("a", "2023-05-01",
              dict(benchmark="GQA", score=60.0, variant="7B", source_kind="third-party"),
              dict(benchmark="GQA", score=61.5, variant="7B", source_kind="survey-table"),
              dict(benchmark="GQA", score=62.0, variant="7B", setting="w/ CoT"),
              dict(benchmark="MMMU", score=30.0, variant="7B", llm="Vicuna-7B"),
              dict(benchmark="GQA", score=64.0, variant="13B"))
    rows = scores.rows_of([m])
    assert [(r.label, r.variant) for r in rows] == [("A", "7B"), ("A", "13B")]  # by size
    seven = rows[0]
    assert seven.cells["GQA"].result.score == 61.5  # survey table before papers and third parties
    assert seven.cells["GQA"].others == 2 and seven.cells["GQA"].code == "s"
    assert seven.llm == "Vicuna-7B" and seven.size == 7 and seven.family == "Vicuna"
    assert seven.kinds == ["survey-table", "paper-table", "third-party"]
    assert [r.variant for r in scores.survey_rows([m])] == ["7B"]  # only survey-table results


def test_ranks_mark_best_and_second_and_ties_share_them():
    models = [model("a", "2023-01-01", dict(benchmark="MMMU", score=40.0)),
              model("b", "2023-02-01", dict(benchmark="MMMU", score=45.0)),
              model("c", "2023-03-01", dict(benchmark="MMMU", score=45.0)),
              model("d", "2023-04-01", dict(benchmark="MMMU", score=41.0))]
    ranks = {r.model.id: r.cells["MMMU"].rank for r in scores.rows_of(models)}
    assert ranks == {"a": 0, "b": 1, "c": 1, "d": 2}
    board = scores.leaderboard("MMMU", models)
    assert [(e.model.id, e.rank) for e in board] == [("b", 1), ("c", 1), ("d", 3), ("a", 4)]


def test_rows_follow_the_catalogue_order():
    rows = scores.rows_of([model("late", "2024-01-01", dict(benchmark="GQA", score=1.0)),
                           model("early", "2022-01-01", dict(benchmark="GQA", score=2.0))])
    assert [r.model.date for r in rows] == [dt.date(2022, 1, 1), dt.date(2024, 1, 1)]


def test_best_per_benchmark_compares_on_the_benchmarks_own_scale():
    m = model("a", "2023-01-01",
              dict(benchmark="QBench", score=0.61),
              dict(benchmark="QBench", score=62.0, printed_scale=100),  # 0.62 on QBench's 0-1
              dict(benchmark="GQA", score=50.0))
    best = {key: (r.score, n) for key, r, n in scores.best_per_benchmark(m)}
    assert best == {"GQA": (50.0, 1), "QBench": (62.0, 2)}
    # in the survey's column order (Table 2's benchmarks first)
    assert [k for k, _, _ in scores.best_per_benchmark(m)] == ["GQA", "QBench"]
    assert scores.best_per_benchmark(model("b", "2023-01-01")) == []
