"""builder/data/scores.py, the one model of the results: rows, cells, ranks, leaderboards and
best scores from made-up records, with no HTML involved."""
from __future__ import annotations

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
    [board] = scores.boards("MMMU", models)
    # competition ranking: equal scores share a rank, the next one skips
    assert [(s.model.id, s.rank) for s in board.standings] == [("b", 1), ("c", 1), ("d", 3), ("a", 4)]


def test_rows_come_newest_first_and_the_survey_rows_oldest_first():
    models = [model("late", "2024-01-01", dict(benchmark="GQA", score=1.0, source_kind="survey-table")),
              model("early", "2022-01-01", dict(benchmark="GQA", score=2.0, source_kind="survey-table")),
              model("mid", "2023-01-01", dict(benchmark="GQA", score=2.0, variant="13B"),
                    dict(benchmark="GQA", score=2.0, variant="7B"))]
    assert [(r.model.id, r.variant) for r in scores.rows_of(models)] == \
        [("late", ""), ("mid", "7B"), ("mid", "13B"), ("early", "")]  # one date: by size
    assert [r.model.id for r in scores.survey_rows(models)] == ["early", "late"]


def with_backbone(m: ModelRecord, *names: str, variants: list | None = None) -> ModelRecord:
    data = m.model_dump(mode="json", exclude_none=True)
    data["architecture"] = {"llm_backbone": [{"name": n, "sizes": ["7B", "72B"]} for n in names]}
    if variants:
        data["variants"] = variants
    return ModelRecord.model_validate(data)


def test_a_row_without_a_source_llm_takes_the_records_backbone_and_says_so():
    m = with_backbone(model("q", "2024-05-30", dict(benchmark="MMMU", score=50.0, variant="7B"),
                            dict(benchmark="MMMU", score=60.0, variant="Big",),
                            dict(benchmark="GQA", score=60.0, variant="72B", llm="Vicuna-72B")),
                      "Qwen2", variants=[{"name": "big", "params": "72B"}])
    rows = {r.variant: r for r in scores.rows_of([m])}
    seven = rows["7B"]
    assert (seven.llm, seven.source_llm, seven.llm_from_record) == ("Qwen2", "", True)
    assert seven.family == "Qwen" and seven.size == 7
    # the backbone's sizes do not say which variant has which: the record's variant does
    assert rows["Big"].llm == "Qwen2" and rows["Big"].size == 72
    named = rows["72B"]  # a source that names the LLM wins
    assert (named.llm, named.llm_from_record, named.family) == ("Vicuna-72B", False, "Vicuna")
    # several backbones are all named; the family is the first's
    two = scores.rows_of([with_backbone(model("t", "2024-01-01", dict(benchmark="GQA", score=1.0)),
                                        "Qwen2", "LLaMA-2")])[0]
    assert two.llm == "Qwen2 / LLaMA-2" and two.family == "Qwen"
    # no backbone in the record, none in the source: empty, not invented
    bare = scores.rows_of([model("b", "2024-01-01", dict(benchmark="GQA", score=1.0))])[0]
    assert (bare.llm, bare.llm_from_record, bare.family) == ("", False, "unknown")


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


def test_a_leaderboard_is_per_protocol_with_one_standing_per_model():
    models = [model("a", "2023-01-01",
                    dict(benchmark="MMMU", split="val", score=40.0, variant="7B"),
                    dict(benchmark="MMMU", split="val", score=44.0, variant="13B"),
                    dict(benchmark="MMMU", split="test", score=90.0),
                    dict(benchmark="MMMU", split="val", setting="CoT", score=80.0)),
              model("b", "2023-02-01", dict(benchmark="MMMU", split=" Val ", score=42.0)),
              model("c", "2023-03-01", dict(benchmark="MMMU", score=99.0))]
    boards = scores.boards("MMMU", models)
    by_key = {b.protocol.key: b for b in boards}
    assert set(by_key) == {"val", "test", "val_cot", "unstated"}
    # MMMU's record names val its main protocol: first, though it is not the only one
    assert boards[0].protocol.key == "val" and boards[0].main and not any(b.main for b in boards[1:])
    val = by_key["val"]
    assert [(s.model.id, s.best.score, s.rank) for s in val.standings] == [("a", 44.0, 1), ("b", 42.0, 2)]
    assert [r.score for r in val.standings[0].others] == [40.0]  # one click away, not a row
    # never ranked together: a test score or an unstated split does not enter val's board
    assert all(s.best.split is None or s.best.split.strip().lower() == "val" for s in val.standings)
    assert by_key["unstated"].protocol.label == "split not stated"
    assert by_key["val_cot"].protocol.label == "val · CoT"


def test_the_main_protocol_is_else_the_one_with_most_models_and_aliases_join_spellings():
    models = [model("a", "2023-01-01", dict(benchmark="QBench", split="A1 perception test", score=0.5)),
              model("b", "2023-01-01", dict(benchmark="QBench", split="test", score=0.6)),
              model("c", "2023-01-01", dict(benchmark="QBench", split="dev", score=0.9))]
    boards = scores.boards("QBench", models)  # QBench's record: 'A1 perception test' is test
    assert [(b.protocol.key, len(b.standings), b.main) for b in boards] == [("test", 2, True), ("dev", 1, False)]
    assert [s.model.id for s in boards[0].standings] == ["b", "a"]


def test_size_from_the_variant_record_else_as_printed():
    m = ModelRecord.model_validate({**BASE, "id": "m", "name": "M", "date": "2024-01-01",
        "variants": [{"name": "M-8B-Instruct", "params": "8.3B"},
                     {"name": "M-MoE", "params": "30B", "active_params": "3B"}],
        "results": [{"benchmark": "MMMU", "score": s, "variant": v, "llm": llm,
                     "source": "https://example.org", "source_kind": "paper-table"}
                    for s, v, llm in [(50.0, "m-8b instruct", None), (51.0, "M-MoE", None),
                                      (52.0, "13B", None), (53.0, None, "Vicuna-7B"),
                                      (54.0, "235B-A22B", None), (55.0, "huge", None)]]})
    sizes = [scores.size_for(m, r) for r in m.results]
    assert sizes[0] == scores.ModelSize(8.3, None, "variant")  # names match, case and separators aside
    assert sizes[1] == scores.ModelSize(30.0, 3.0, "variant")
    assert sizes[2] == scores.ModelSize(13.0, None, "name")
    assert sizes[3] == scores.ModelSize(7.0, None, "LLM")
    assert sizes[4] == scores.ModelSize(235.0, 22.0, "name")
    assert sizes[5] is None


def test_frontier_keeps_each_new_best_by_date_and_ranks_reach_model_pages():
    models = [model("a", "2023-01-01", dict(benchmark="MMMU", split="val", score=40.0)),
              model("b", "2023-02-01", dict(benchmark="MMMU", split="val", score=35.0)),
              model("c", "2023-03-01", dict(benchmark="MMMU", split="val", score=50.0)),
              model("d", "2023-04-01", dict(benchmark="MMMU", split="val", score=50.0))]
    [board] = scores.boards("MMMU", models)
    assert [s.model.id for s in scores.frontier(board)] == ["a", "c"]  # a tie is not a new best
    standings = scores.standings_of(scores.all_boards(models))
    [(b, s)] = standings["b"]
    assert (b.protocol.key, s.rank, len(b.standings)) == ("val", 4, 4)
