"""Benchmark results: the score data (builder/data/scores.py), its pages (builder/pages/results.py:
the comparison page, the survey's Table 2 view, leaderboards) and its exports."""
from __future__ import annotations

import csv
import io
import json
from collections import defaultdict

import pytest

from builder.cli import main as cli
from builder.data import exports, scores
from builder.pages import leaderboard, results
from builder.pages.site import site_pages
from results_support import ROOT, Tables, importer, merged_models, reference_csv, survey_rows_csv
from schema import load_catalogue
from schema import vocabularies as vocab

needs_csv = pytest.mark.skipif(not reference_csv().exists(), reason="reference CSV not present")
TABLE2 = ["OKVQA", "IconVQA", "VQAv2", "GQA", "VizWiz", "SQA-I", "VQA-T", "POPE", "MME-P",
          "MME-C", "MMB", "MMB-CN", "SEED-I", "LLaVA-W", "MM-Vet", "QBench", "HM", "VSR"]


@pytest.fixture(scope="module")
def catalogue():
    cat = load_catalogue(ROOT)
    assert cat.ok
    return cat


@pytest.fixture(scope="module")
def merged(tmp_path_factory):
    """The catalogue as after the merge: this branch + the survey tracker's records, scores imported."""
    tmp = tmp_path_factory.mktemp("merged")
    models = merged_models(tmp)
    assert importer().main([str(reference_csv()), "--models", str(models),
                            "--report", str(tmp / "report.md")]) == 0
    cat = load_catalogue(tmp)
    assert cat.ok, cat.problems[:3]
    return cat


def test_columns_follow_the_survey():
    keys = [b.key for b in scores.benchmark_columns()]
    assert keys[:18] == TABLE2
    assert keys[18:] == ["MMMU", "MathVista", "MMStar", "OCRBench", "AI2D", "ChartQA", "DocVQA",
                         "VideoMME"]


@needs_csv
def test_survey_view_reproduces_table_2_cell_for_cell(merged):
    html = results.survey_html(merged.models)
    rows = Tables(html).tables["mm-survey"]
    rendered = {}
    llms = {}
    for cells in rows:
        label = cells[0]["text"].strip().casefold()
        llms[label] = cells[1]["text"].strip()
        for c in cells[2:]:
            if c["link"] is not None:
                rendered[(label, c["attrs"]["data-b"])] = c["link"]
                assert c["href"] == "https://arxiv.org/abs/2401.13601"
    expected = {}
    for r in survey_rows_csv():
        label = f"{r['model']} {r['variant']}".strip().casefold()
        expected[(label, r["benchmark"])] = r["score"]
        assert llms[label] == r["llm_backbone"]
    assert rendered == expected
    assert len(expected) == 175 and len(rows) == 19


@needs_csv
def test_survey_view_marks_best_and_second_best(merged):
    rows = Tables(results.survey_html(merged.models)).tables["mm-survey"]
    by_col = defaultdict(list)
    for cells in rows:
        for c in cells[2:]:
            if c["link"] is not None:
                by_col[c["attrs"]["data-b"]].append(c)
    for key, cells in by_col.items():
        values = sorted({float(c["link"]) for c in cells}, reverse=True)
        for c in cells:
            v = float(c["link"])
            want = "1st" if v == values[0] else ("2nd" if len(values) > 1 and v == values[1] else "")
            assert c["sup"] == want, (key, c["link"])
            assert (c["attrs"].get("class") or "") == ({"1st": "r1", "2nd": "r2"}.get(want, ""))


def test_every_score_on_the_comparison_links_to_its_source(catalogue):
    table = Tables(results.comparison_html(catalogue.models)).tables["mm-results"]
    sources = {r.source for m in catalogue.models for r in m.results}
    n = 0
    for cells in table:
        assert cells[0]["href"].startswith("../models/")
        for c in cells[6:]:  # after model, released, variant, LLM, size, open weights
            if c["text"].strip():
                assert c["href"] in sources
                assert c["attrs"]["data-k"] in "sprlt"
                n += 1
    assert n == sum(len(row.cells) for row in scores.rows_of(catalogue.models))
    assert n > 300


def test_comparison_marks_follow_the_scale_not_the_printed_number():
    from schema.model import ModelRecord
    base = dict(id="x", name="X", date="2023-01-01", added="2023-01-02",
                io={"input": ["image", "text"], "output": ["text"]}, functional=["understanding"],
                design="end-to-end", sources=[{"url": "https://example.org"}])

    def model(mid, *res):
        return ModelRecord.model_validate({**base, "id": mid, "name": mid.upper(), "results": [
            dict(benchmark="QBench", score=s, source="https://example.org/" + mid,
                 source_kind="readme", **({"printed_scale": p} if p else {})) for s, p in res]})
    models = [model("a", (0.62, None)), model("b", (58.7, 100)), model("c", (0.61, None))]
    rows = {r.label: r.cells["QBench"] for r in scores.rows_of(models)}
    assert (rows["A"].rank, rows["B"].rank, rows["C"].rank) == (1, 0, 2)
    assert rows["B"].result.shown == "58.7"
    [board] = scores.boards("QBench", models)
    assert [s.model.id for s in board.standings] == ["a", "c", "b"]


def test_leaderboard_page(catalogue):
    pages = site_pages(catalogue)
    page = pages["benchmarks/mmmu.md"]  # lower case; the key's own spelling redirects
    assert 'url=../mmmu/' in pages["benchmarks/MMMU/index.html"]
    bench = vocab.benchmarks()["MMMU"]
    assert bench.metric in page and "0–100" in page and "higher" in page and "## Leaderboard" in page
    tables = Tables(page).tables
    boards = scores.boards("MMMU", catalogue.models)
    assert [k for k in tables if k.startswith("board-")] == [f"board-{b.protocol.key}" for b in boards]
    assert boards[0].protocol.key == "val" and len(boards) > 2
    for board in boards:
        table = tables[f"board-{board.protocol.key}"]
        models = [r[1]["href"] for r in table]
        assert len(models) == len(set(models)) == len(board.standings)  # one row per model
        shown = [float(r[2]["link"]) for r in table]
        assert shown == sorted(shown, reverse=True)
        ranks = [int(r[0]["text"]) for r in table]
        assert ranks[0] == 1 and all(  # competition ranking
            rk == (ranks[i - 1] if shown[i] == shown[i - 1] else i + 1) for i, rk in enumerate(ranks) if i)
        for r, s in zip(table, board.standings):
            assert scores.protocol_of(s.best).key == board.protocol.key  # never mixed
            assert all(scores.protocol_of(o).key == board.protocol.key for o in s.others)
            assert r[2]["href"] == s.best.source and r[11]["href"] == s.best.source
            assert r[1]["href"] == f"../../models/{s.model.id}/"
            assert r[9]["text"] == s.model.date.isoformat()
    # a model's other scores under the protocol are one click away, in its row
    val = {s.model.id: s for s in boards[0].standings}
    many = next(s for s in boards[0].standings if s.others)
    row = next(r for r in tables["board-val"] if r[1]["href"] == f"../../models/{many.model.id}/")
    assert f"+{len(many.others)}" in row[2]["text"]
    assert all(o.shown in row[2]["text"] for o in many.others)
    assert len(val) == len(boards[0].standings)


def test_charts_link_every_point_shape_weights_and_show_their_numbers(catalogue):
    [board, *_] = scores.boards("MMMU", catalogue.models)
    block = leaderboard.leaderboard_html(scores.boards("MMMU", catalogue.models))
    section = block[block.index('id="p-val"'):block.index("</section>")]
    size_svg = section[section.index('id="mm-mmmu-val-size-title"') - 200:]
    size_svg = size_svg[:size_svg.index("</svg>")]
    sized = [s for s in board.standings if s.size]
    assert size_svg.count("<a href=") == len(sized)
    shapes = {"yes": "mm-pt-open", "no": "mm-pt-closed", "unknown": "mm-pt-unknown"}
    for s in sized:
        link = size_svg[size_svg.index(f'<a href="../../models/{s.model.id}/"'):]
        assert shapes[s.open] in link[:link.index("</a>")]
    date_svg = section[section.index('id="mm-mmmu-val-date-title"'):]
    date_svg = date_svg[:date_svg.index("</svg>")]
    assert date_svg.count("<a href=") == len(board.standings) and 'class="mm-frontier"' in date_svg
    front = scores.frontier(board)
    head = '<thead><tr><th scope="col">Date'
    numbers = Tables('<table id="f">' + section[section.index(head):]).tables["f"]
    assert [(r[0]["text"], r[2]["link"]) for r in numbers] == [
        (s.model.date.isoformat(), s.best.shown) for s in front]
    values = [s.best.normalized for s in front]
    assert values == sorted(values) and len(set(values)) == len(values)  # each a new best
    index = site_pages(catalogue)["benchmarks/index.md"]
    rows = Tables(index).tables["mm-frontier-table"]
    assert [r[4]["link"] for r in rows if r[0]["text"] == "MMMU"] == [s.best.shown for s in front]


def test_model_pages_state_their_place_per_benchmark_and_protocol(catalogue):
    pages = site_pages(catalogue)
    standings = scores.standings_of(scores.all_boards(catalogue.models))
    few = next(m for m in catalogue.models if 0 < len(m.results) <= results.INLINE_RESULTS_MAX
               and len({b.protocol.key for b, _ in standings[m.id] if b.bench.key == "MMMU"}) > 1)
    many = next(m for m in catalogue.models if len(m.results) > results.INLINE_RESULTS_MAX)
    for page, m, prefix in ((pages[f"models/{few.id}.md"], few, "../../"),
                            (pages[f"models/{many.id}/results/index.md"], many, "../../../")):
        for board, s in standings[m.id]:  # every protocol, on its page or its results page
            url = f"{prefix}benchmarks/{board.bench.key.lower()}/#{board.protocol.key}--{m.id}"
            assert f'<a href="{url}">{leaderboard.ordinal(s.rank)} of {len(board.standings)}</a> ' \
                   f'{board.protocol.label}' in page, (m.id, board.protocol.key)
    # the model page of one with many scores: its place under each benchmark's main protocol
    page = pages[f"models/{many.id}.md"]
    for board, s in standings[many.id]:
        url = f"../../benchmarks/{board.bench.key.lower()}/#{board.protocol.key}--{many.id}"
        assert (f'<a href="{url}">' in page) == board.main


def test_model_page_lists_its_scores_with_sources(catalogue):
    pages = site_pages(catalogue)
    page = pages["models/llava-1-5.md"]
    assert "## Benchmark results" in page
    model = next(m for m in catalogue.models if m.id == "llava-1-5")
    # many scores: the model page keeps the best per benchmark, its own page lists them all
    assert len(model.results) > results.INLINE_RESULTS_MAX
    full = pages["models/llava-1-5/results/index.md"]
    assert '<a href="results/">all ' in page and '<a href="../">LLaVA-1.5</a>' in full
    for r in model.results:
        assert f'<a href="{r.source}">{r.shown}</a>' in full
    for key, best, count in scores.best_per_benchmark(model):
        assert f'<a href="{best.source}">{best.shown}</a>' in page
        same = [r for r in model.results if r.benchmark == key]
        assert count == len(same) and best.normalized == (
            max if vocab.benchmarks()[key].higher_is_better else min)(r.normalized for r in same)
    few = next(m for m in catalogue.models if 0 < len(m.results) <= results.INLINE_RESULTS_MAX)
    inline = pages[f"models/{few.id}.md"]
    assert all(f'<a href="{r.source}">{r.shown}</a>' in inline for r in few.results)
    assert f"models/{few.id}/results/index.md" not in pages
    assert "benchmarks/index.md" in pages and "benchmarks/mmmu.md" in pages
    no_results = next(m for m in catalogue.models if not m.results)
    assert "## Benchmark results" not in pages[f"models/{no_results.id}.md"]


def test_exports_carry_the_same_rows(catalogue, capsys):
    as_json = json.loads(exports.export_results(catalogue.models, "json"))
    as_csv = list(csv.DictReader(io.StringIO(exports.export_results(catalogue.models, "csv"))))
    assert as_json["fields"] == exports.EXPORT_FIELDS == list(as_csv[0])
    assert len(as_json["results"]) == len(as_csv) == sum(len(m.results) for m in catalogue.models)
    for j, c in zip(as_json["results"], as_csv):
        for k in exports.EXPORT_FIELDS:
            v = j[k]
            assert c[k] == ("" if v is None else (repr(v) if isinstance(v, float) else str(v))), k
    for fmt in ("csv", "json"):
        assert cli(["--root", str(ROOT), "export", "results", "--format", fmt]) == 0
        assert capsys.readouterr().out == exports.export_results(catalogue.models, fmt)
    with pytest.raises(ValueError):
        exports.export_results(catalogue.models, "xml")


def test_llm_family_and_size():
    assert scores.llm_family("Vicuna-1.5-13B") == "Vicuna"
    assert scores.llm_family("MobileLLaMA 2.7B") == "LLaMA"  # the registry's family
    assert scores.llm_family("Hermes-Yi-34B") == "Yi"
    assert scores.llm_family("") == "unknown"
    assert scores.size_of("13B (IViT-6B-224px)", "") == 13
    assert scores.size_of("", "Flan-T5-XXL (13B)") == 13
    assert scores.size_of("detail: low", "") is None


def test_an_llm_from_the_record_is_marked_and_kept_out_of_the_surveys_table():
    from schema.model import ModelRecord
    m = ModelRecord.model_validate(dict(
        id="x", name="X", date="2023-01-01", added="2023-01-02", design="end-to-end",
        io={"input": ["image", "text"], "output": ["text"]}, functional=["understanding"],
        sources=[{"url": "https://example.org"}],
        architecture={"llm_backbone": [{"name": "Qwen2 <b>", "sizes": ["7B"]}]},
        results=[dict(benchmark="GQA", score=50.0, source="https://example.org/t",
                      source_kind="survey-table")]))
    row = Tables(results.comparison_html([m])).tables["mm-results"][0]
    llm = row[3]
    assert llm["text"] == "Qwen2 <b>rec" and llm["attrs"].get("class") == "mm-rec"
    assert "Qwen2 &lt;b&gt;" in results.comparison_html([m])  # record text escaped
    # the survey's Table 2 shows what the survey printed, and it printed no LLM here
    assert Tables(results.survey_html([m])).tables["mm-survey"][0][1]["text"] == ""


def test_every_main_protocol_a_record_names_has_scores(catalogue):
    named = {k: b.main_protocol for k, b in vocab.benchmarks().items() if b.main_protocol}
    assert named  # MMMU and MathVista name theirs
    for key, protocol in named.items():
        boards = scores.boards(key, catalogue.models)
        assert boards[0].protocol.key == protocol and boards[0].main, key
