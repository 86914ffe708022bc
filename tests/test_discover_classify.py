"""The discovery classifier (rules in tracking/discover.yaml) and `mmllm discover --evaluate`
on the labelled list tracking/discover_labels.yaml, offline."""
from __future__ import annotations

import datetime as dt
from collections import Counter
from pathlib import Path

import httpx
import pytest
import yaml

from builder import cli
from builder.tracking import arxiv
from builder.tracking import cli as tracking_cli
from builder.tracking import discover as discover_module
from builder.tracking.classify import RuleError, classify, load_rules, normalize
from builder.tracking.discover import Candidate, Discovery, discover, load_config, report_markdown
from builder.tracking.evaluate import LABELS as KNOWN_LABELS
from builder.tracking.evaluate import (Evaluation, LabelError, Labelled, Reach, evaluate, load_labels, split_of,
                                       threshold_for_recall, trade_offs, wilson)
from builder.tracking.learned import held_out
from builder.tracking.evaluate import report_markdown as evaluation_report
from schema import load_catalogue
from tracking_support import copy_discover_config, Script, atom_entry, atom_feed, fetcher, fixture_project, ok

ROOT = Path(__file__).resolve().parents[1]
CONFIG = load_config(ROOT / "tracking" / "discover.yaml")
LABELS = ROOT / "tracking" / "discover_labels.yaml"
GOAL_PRECISION, GOAL_RECALL = 0.8, 0.9  # issue 17, on papers the rules were not tuned on


def decide(title: str, abstract: str, categories=("cs.CV",)):
    return classify(title, abstract, list(categories), CONFIG.rules)


# -- matching ------------------------------------------------------------------------------------

@pytest.mark.parametrize("a, b", [
    ("Vision-Language Models", "vision language model"),
    ("an Audio Language Model", "an audio-language model"),
    ("Multi-modal LLMs", "multimodal LLM"),
    ("omni-modal", "Omni Modal"),
    ("Video-LLMs, e.g.", "video llm e.g."),
])
def test_phrases_compare_ignoring_hyphens_spaces_case_and_plurals(a, b):
    assert normalize(a) == normalize(b)


def test_phrases_match_whole_words_only():
    assert " vlm " in normalize("a VLM.") and " vlm " not in normalize("VLMo and avlm")
    assert " process " in normalize("the process")  # 'ss' is not a plural


def test_a_model_named_without_hyphens_passes_the_gate():
    for text in ("We present Foo, an audio language model.", "We present Foo, an Audio-Language Model.",
                 "We present Foo, a Large Language and Vision Assistant model."):
        d = decide("Foo", text)
        assert d.gated, text


# -- decisions and their reasons ------------------------------------------------------------------

def test_a_new_named_model_is_drafted_with_its_name_and_the_sentence_naming_it():
    d = decide("Zeta-VL: An Open Vision-Language Model for Charts",
               "Charts are hard. We present Zeta-VL, an open vision-language model that couples a SigLIP "
               "vision encoder with a Qwen3 language backbone. Model weights are released.")
    assert d.is_model and d.group == "vision" and d.name == "Zeta-VL"
    assert d.evidence.startswith("We present Zeta-VL, an open vision-language model")
    names = [r.signal.name for r in d.reasons]
    assert {"introduces a named model", "the title introduces a model", "releases the model",
            "names its encoder or language backbone"} <= set(names)
    assert d.score == pytest.approx(sum(r.signal.weight for r in d.reasons)) and d.score >= CONFIG.rules.threshold
    assert "introduces a named model (abstract: " in d.explain() and "+3" in d.explain()


@pytest.mark.parametrize("title, abstract, kind", [
    ("MMBench-X: A Benchmark for Multimodal Large Language Models",
     "We introduce MMBench-X, a comprehensive benchmark. We evaluate 24 MLLMs and find gaps.", "benchmark"),
    ("A Survey of Video-LLMs", "In this survey, we review video large language models.", "survey"),
    ("PruneV: Training-Free Visual Token Pruning for LVLMs",
     "We propose PruneV, a training-free method that prunes visual tokens across various LVLMs.", "method"),
    ("Seeing Better: Reinforcement Learning for MLLM Perception",
     "We propose a reinforcement learning recipe that sharpens the perception of existing MLLMs; applied to "
     "Qwen2.5-VL-7B and InternVL3-8B with GRPO, it improves both.", "method"),
    ("Arm-VLA: A Vision-Language-Action Model for Dexterous Robots",
     "We present Arm-VLA, a vision-language-action model built on a VLM for robotic manipulation.", "robot-policy"),
    ("Big-1 Technical Report", "We introduce Big-1, a 400B mixture-of-experts language model trained on text.",
     "not multimodal"),
])
def test_work_about_existing_models_is_not_drafted_and_says_what_it_looks_like(title, abstract, kind):
    d = decide(title, abstract)
    assert not d.is_model and d.kind == kind, d.explain()
    if kind == "not multimodal":
        assert "no multimodal model term (gate)" in d.explain()


def test_a_model_called_a_framework_or_architecture_is_drafted():
    # papers often name the new model a framework, architecture or baseline (issue 17's misses)
    d = decide("UniBar: Unified Multimodal Understanding and Generation",
               "Unified models are popular. We introduce UniBar, a novel Y-shaped architecture that shares "
               "shallow layers. UniBar matches task-specific models.")
    assert d.is_model and d.name == "UniBar", d.explain()
    assert "the title's name recurs in the abstract (title: 'UniBar:')" in d.explain()


def test_the_title_name_counts_only_when_the_abstract_uses_it():
    titled = [r.signal.name for r in decide("Foo-VL: Multimodal LLMs", "We study MLLMs. Foo-VL helps.").reasons]
    untitled = [r.signal.name for r in decide("Foo-VL: Multimodal LLMs", "We study MLLMs.").reasons]
    assert "the title's name recurs in the abstract" in titled
    assert "the title's name recurs in the abstract" not in untitled
    # whole words only: 'Foo' does not recur in 'Foobar'
    assert "the title's name recurs in the abstract" not in [
        r.signal.name for r in decide("Foo: Multimodal LLMs", "We study Foobar MLLMs.").reasons]


def test_recurs_in_abstract_needs_a_name_group(tmp_path):
    base = {"threshold": 1, "signals": [{"name": "gate", "gate": True, "phrases": ["mllm"]}]}
    bad = {**base, "signals": base["signals"] + [{"name": "t", "where": "title", "recurs_in_abstract": True,
                                                   "patterns": ["^[A-Z]+:"]}]}
    with pytest.raises(RuleError, match=r"signals\[1\] \(t\): patterns: .* needs a \(\?P<name>"):
        load_rules(bad, "rules.yaml")
    phrases = {**base, "signals": base["signals"] + [{"name": "t", "recurs_in_abstract": True, "phrases": ["x"]}]}
    with pytest.raises(RuleError, match="recurs_in_abstract: only for patterns"):
        load_rules(phrases, "rules.yaml")


def test_benchmark_mentions_in_a_model_abstract_do_not_sink_it():
    # "we evaluate on N benchmarks" is what model papers say (issue 17)
    d = decide("Kappa-Omni: An Omni-Modal LLM", "We introduce Kappa-Omni, an omni-modal LLM. We evaluate it on 15 "
               "benchmarks and our dataset mix; it outperforms models of its size. Code and models are released.")
    assert d.is_model and d.group == "omni"


def test_a_gate_decides_nothing_on_its_own():
    d = decide("Notes", "We discuss multimodal large language models.")
    assert d.gated and not d.is_model and d.kind == "too little evidence"


def test_a_gated_paper_just_below_the_threshold_is_a_near_miss():
    data = {"threshold": 3, "review_margin": 2, "signals": [
        {"name": "gate", "gate": True, "phrases": ["mllm"]},
        {"name": "named", "weight": 2, "where": "abstract", "phrases": ["we present"]},
        {"name": "survey", "weight": -6, "kind": "survey", "phrases": ["survey"]}]}
    rules = load_rules(data, "rules.yaml")
    near = classify("Foo", "We present Foo, an MLLM.", [], rules)  # 2: one short of 3, within 2
    assert not near.is_model and near.near_miss
    assert not classify("Foo", "A survey of MLLMs.", [], rules).near_miss  # far below
    assert not classify("Foo", "We present Foo, a parser.", [], rules).near_miss  # names no model kind
    assert not classify("Foo", "We present Foo, an MLLM.", [], load_rules({**data, "review_margin": 0},
                                                                            "rules.yaml")).near_miss
    with pytest.raises(RuleError, match="rules.yaml: review_margin: a number from 0"):
        load_rules({**data, "review_margin": -1}, "rules.yaml")


def test_near_misses_get_their_own_section_of_the_report_and_count_in_the_evaluation():
    rules = load_rules({"threshold": 3, "review_margin": 2, "signals": [
        {"name": "gate", "gate": True, "phrases": ["multimodal large language model"]},
        {"name": "named", "weight": 2, "where": "abstract", "phrases": ["we present"]}]}, "rules.yaml")
    abstract = "We present Foo, a framework for multimodal large language models."
    decision = classify("Foo Bar", abstract, ["cs.CV"], rules)
    assert not decision.is_model and decision.near_miss, decision.explain()
    paper = arxiv.Paper(arxiv="2601.00003", version=1, title="Foo Bar <b>", summary=abstract,
                        published="2026-01-02T00:00:00Z", updated="2026-01-02T00:00:00Z", authors=["A"],
                        categories=["cs.CV"], primary_category="cs.CV")
    found = Discovery(rejected=[Candidate(paper, decision)], papers=1, queries=1)
    text = report_markdown(found)
    assert "1 judged not a new model (1 of them near misses)" in text
    assert "### Near misses (1)" in text
    assert "| [2601.00003](https://arxiv.org/abs/2601.00003) | Foo Bar &lt;b&gt; |" in text  # escaped
    assert "### Judged not a new model" not in text  # listed once
    labelled = Labelled(arxiv="2601.00003", title="Foo Bar", label="model", split="test", abstract=abstract)
    result = evaluate([labelled], rules, reach=CONFIG.reach)
    assert result.fn == 1 and result.near_models == 1
    assert ("Drafts and near misses together find 1 of the 1 model paper(s) (recall 1.000) among 1 paper(s) "
            "to read") in evaluation_report(result, "labels.yaml", None)


# -- the labelled list ----------------------------------------------------------------------------

def test_the_labelled_list_is_well_formed_and_split_by_the_hash_of_the_id():
    papers = load_labels(LABELS)  # checks fields, labels, duplicates and each split against split_of
    assert all(p.split == split_of(p.arxiv) for p in papers)
    test = [p for p in papers if p.split == "test"]
    assert len(papers) >= 600 and len(test) >= 350
    labels = {p.label for p in papers}
    assert {"model", "benchmark", "survey", "method", "dataset", "robot-policy", "diffusion", "text-llm"} <= labels
    models = sum(p.label == "model" for p in papers)
    # enough of each to measure both figures (curators find ever fewer unlabelled model papers:
    # 23% and 27% of batches 10 and 11; a weekly listing holds fewer still)
    assert models >= 300 and 0.2 <= models / len(papers) <= 0.6


@pytest.mark.parametrize("edit, message", [
    (lambda t: t.replace("label: model", "label: modle", 1), "label: 'modle' is not one of"),
    (lambda t: t.replace("split: test", "split: dev", 1), "split: 2304.08485 belongs to 'test'"),
    (lambda t: t.replace("  source: https://pith", "  sauce: https://pith", 1), "source: required"),
])
def test_a_bad_label_entry_names_the_file_line_and_field(tmp_path, edit, message):
    path = tmp_path / "labels.yaml"
    path.write_text(edit(LABELS.read_text(encoding="utf-8")), encoding="utf-8")
    with pytest.raises(LabelError) as err:
        load_labels(path)
    assert f"{path}:" in str(err.value) and message in str(err.value)
    assert str(err.value).split(":")[1].isdigit()  # the line


def test_the_classifier_keeps_its_figures_on_the_papers_it_was_tuned_on():
    # measured when committed, on batches 1-10 (every round but the newest), the learned part
    # cross-fitted (each paper judged by a model trained without it): precision 0.802, recall
    # 0.724; a change may not lose that (the floor is a little below, for small trades)
    papers = load_labels(LABELS)
    newest = max(p.batch for p in papers)
    seen = [p for p in papers if p.batch < newest]
    result = evaluate(seen, CONFIG.rules, reach=CONFIG.reach)
    assert result.cross_fitted == len(seen)  # none judged by a model that trained on it
    assert result.tp + result.fn == sum(p.label == "model" for p in seen)
    assert result.precision >= 0.79 and result.recall >= 0.71, (result.precision, result.recall)
    # the report's trade-offs start from the same drafts
    assert trade_offs(result)[0] == (CONFIG.rules.threshold, result.precision, result.recall)


@pytest.mark.xfail(strict=True, reason=(
    "issue 17's goal is not met on papers the classifier was not tuned on: batch 11's test split, evaluated "
    "with the rules and the learned part's settings frozen, gives precision 0.854, recall 0.648 (batch 10: "
    "0.733 / 0.623; the rules alone, as submitted before: 0.705 / 0.574 and 0.558 / 0.453); "
    "tracking/README.md, Discovery"))
def test_the_classifier_meets_the_goal_on_the_held_out_test_split():
    test = held_out(load_labels(LABELS))
    result = evaluate(test, CONFIG.rules, reach=CONFIG.reach)  # weekly defaults
    assert result.cross_fitted == 0  # the learned model never trained on them
    assert result.papers >= 100 and result.labels["model"] >= 30
    assert result.precision >= GOAL_PRECISION and result.recall >= GOAL_RECALL, (result.precision, result.recall)


def test_the_second_labelling_names_labelled_papers_with_known_labels():
    # tracking/discover_labels_second.yaml: an independent relabelling that measures how reliably a
    # paper can be labelled (its header gives the agreement)
    second = yaml.safe_load((ROOT / "tracking" / "discover_labels_second.yaml").read_text(encoding="utf-8"))
    labelled = {p.arxiv for p in load_labels(LABELS)}
    assert len(second) == len({e["arxiv"] for e in second}) == 200
    assert all(e["arxiv"] in labelled and e["label"] in KNOWN_LABELS and isinstance(e["sure"], bool) for e in second)


def test_a_paper_no_search_phrase_reaches_is_not_drafted_however_it_scores():
    paper = Labelled(arxiv="2601.00001", title="Zeta-VL: An Open Vision-Language Model", label="model", split="test",
                     abstract="We present Zeta-VL, an open vision-language model. Model weights are released.")
    assert Reach(("vision language model",)).reaches(paper) and Reach(("Vision-Language Models",)).reaches(paper)
    assert not Reach(("speech LLM",)).reaches(paper)
    outside = Labelled(**{**paper.__dict__, "categories": ("q-bio.NC",)})
    assert not Reach(("vision language model",), ("cs.CV",)).reaches(outside)  # outside the listing categories
    by_rules = evaluate([paper], CONFIG.rules)
    searched = evaluate([paper], CONFIG.rules, reach=Reach(("speech LLM",)))
    assert by_rules.tp == 1 and searched.fn == 1 and searched.unreached == {"2601.00001"}
    text = evaluation_report(searched, "labels.yaml", None)
    assert "not reached by any search phrase; score" in text
    assert "The search phrases reach 0 of the 1 model paper(s)" in text
    # the ceiling: what search and gate let through, whatever the threshold
    assert by_rules.within_reach == 1 and searched.within_reach == 0
    assert ("Of the 1 model paper(s), the search reaches and the gate (a multimodal model kind named) holds 0: "
            "no threshold drafts more of them (recall at most 0.000).") in text
    ungated = Labelled(**{**paper.__dict__, "title": "Zeta: An Open Model",
                          "abstract": "We present Zeta, an open model. Model weights are released."})
    result = evaluate([ungated], CONFIG.rules)
    assert result.fn == 1 and result.within_reach == 0
    assert "the gate (a multimodal model kind named) holds 0" in evaluation_report(result, "labels.yaml", None)


def test_a_paired_query_reaches_a_paper_that_holds_a_phrase_of_every_group():
    paper = Labelled(arxiv="2601.00002", title="Robust LLM-based Audio-Visual Speech Recognition", label="model",
                     split="test", abstract="We propose AVUR-LLM, an LLM that hears and sees.")
    pair = ((("LLM", "large language model"), ("speech", "video")),)
    assert not Reach(("vision language model",)).reaches(paper)
    assert Reach(("vision language model",), paired=pair).reaches(paper)  # 'LLM' and 'speech'
    assert not Reach((), paired=((("LLM",), ("music",)),)).reaches(paper)  # one group holds nothing
    # the project's search reaches it
    assert CONFIG.reach.reaches(paper)


def test_the_interval_of_a_figure_narrows_as_papers_grow():
    small, large = wilson(13, 14), wilson(130, 140)  # 0.929 on 14 models, then on 140
    assert small[0] < large[0] < 13 / 14 < large[1] < small[1]
    assert round(small[0], 3) == 0.685 and round(small[1], 3) == 0.987  # the textbook Wilson interval
    assert wilson(0, 0) == (0.0, 0.0) and wilson(0, 5)[0] == 0.0 and wilson(5, 5)[1] == 1.0


def test_a_batch_is_a_whole_number(tmp_path):
    path = tmp_path / "labels.yaml"
    path.write_text(LABELS.read_text(encoding="utf-8").replace("  split: test\n", "  split: test\n  batch: two\n", 1),
                    encoding="utf-8")
    with pytest.raises(LabelError, match=r"labels.yaml:\d+: batch: a whole number from 1"):
        load_labels(path)


def test_evaluate_command_reports_the_figures_offline(monkeypatch, capsys):
    def no_network(*args, **kwargs):
        raise AssertionError("--evaluate must not ask arXiv")
    monkeypatch.setattr(tracking_cli, "make_fetcher", no_network)
    assert cli.main(["--root", str(ROOT), "discover", "--evaluate", "tracking/discover_labels.yaml",
                     "--split", "test"]) == 0
    out = capsys.readouterr().out
    result = evaluate(load_labels(LABELS), CONFIG.rules, "test", reach=CONFIG.reach)
    assert f"| {result.precision:.3f} | {result.recall:.3f} | {result.f1:.3f} | {result.tp} | {result.fp} | " \
           f"{result.fn} | {result.tn} |" in out
    assert f"### Missed models (false negatives) ({result.fn})" in out
    low, high = result.recall_interval
    assert low < result.recall < high and f"recall {low:.3f}-{high:.3f}." in out
    for paper, decision in result.misses:  # each miss with the reasons behind it
        assert f"arXiv {paper.arxiv} (model, line {paper.line})" in out and decision.explain() in out


@pytest.mark.parametrize("flag, value", [("--split", "test"), ("--batch", "2")])
def test_split_or_batch_without_evaluate_is_refused(capsys, flag, value):
    assert cli.main(["--root", str(ROOT), "discover", flag, value]) == 2
    assert f"{flag}: only with --evaluate" in capsys.readouterr().err


def test_a_missing_labels_file_is_a_clear_error(capsys):
    assert cli.main(["--root", str(ROOT), "discover", "--evaluate", "tracking/no-such-labels.yaml"]) == 2
    err = capsys.readouterr().err
    assert "no-such-labels.yaml: cannot read" in err and "Traceback" not in err


# -- the weekly report: nothing dropped silently -------------------------------------------------

def test_candidates_beyond_the_cap_are_listed_ranked_and_rejections_give_reasons(tmp_path):
    root = fixture_project(tmp_path)
    copy_discover_config(root)
    config = load_config(root / "tracking" / "discover.yaml")
    config = type(config)(**{**config.__dict__, "max_drafts": 1})
    found = discover(root, load_catalogue(root).models, fetcher(Script({"search_query=": [ok("arxiv_search.xml")]})),
                     config, today=dt.date(2024, 6, 1))
    assert [c.paper.arxiv for c in found.candidates] == ["2402.00010", "2402.00015"]
    assert found.candidates[0].draft and found.candidates[1].draft is None
    text = report_markdown(found)
    assert "2 new model candidate(s), 1 drafted (cap 1)" in text
    assert "beyond the cap: `mmllm new 2402.00015`" in text and "#### audio (1)" in text
    assert "<summary>survey (1)</summary>" in text and "a survey (title: 'survey') -6" in text
    assert "<summary>not multimodal (1)</summary>" in text
    # the draft says what was read and where each prefilled field came from
    draft = Path(found.candidates[0].draft).read_text(encoding="utf-8").splitlines()
    assert draft[1].startswith("# Discovery score ") and "introduces a named model" in draft[1]
    assert draft[2].startswith("# Read from arXiv: https://arxiv.org/abs/2402.00010 (v1), submitted 2024-02-03")
    assert "categories cs.CV (primary)" in draft[2]
    assert draft[3].startswith("# Evidence: paper.title and paper.arxiv from arXiv's entry; date from its first "
                               "version (2024-02-03); name from the title, before ':'")


def test_a_query_is_read_page_by_page_and_one_with_more_results_is_named(tmp_path, monkeypatch):
    monkeypatch.setattr(discover_module, "PAGE", 2)
    entries = [atom_entry(f"2402.0009{i}", f"Paper {i}", summary="Nothing multimodal.") for i in range(7)]
    total = '<opensearch:totalResults xmlns:opensearch="http://a9.com/-/spec/opensearch/1.1/">7</opensearch:totalResults>'

    def page(request):
        start, size = int(request.url.params["start"]), int(request.url.params["max_results"])
        text = atom_feed(entries[start:start + size]).replace("<title>ArXiv", total + "<title>ArXiv", 1)
        return httpx.Response(200, text=text)
    root = fixture_project(tmp_path)
    config = type(CONFIG)(**{**CONFIG.__dict__, "phrases": ("x",), "paired_phrases": (), "max_results": 4})
    script = Script({"search_query=": [page]})
    found = discover(root, [], fetcher(script), config, today=dt.date(2024, 6, 1), write=False)
    starts = [httpx.URL(u).params["start"] for u in script.urls()]
    assert starts == ["0", "2"] and found.papers == 4 and found.queries == 2
    assert found.truncated == ["query 1: 7 results, the newest 4 read (raise max_results or shorten window_days)"]
    assert "### Queries with more results than were read (1)" in report_markdown(found)


def test_the_report_says_what_a_lower_threshold_would_trade():
    # four model papers (one out of the search's reach, so not scored) and two others
    result = Evaluation(papers=6, tp=2, fp=1, fn=2, tn=1, threshold=0.0, labels=Counter(model=4, method=2),
                        scored=[(3.0, True), (1.0, False), (0.0, True), (-2.0, True), (-5.0, False)])
    assert trade_offs(result) == [(0.0, 2 / 3, 0.5), (-1.0, 2 / 3, 0.5), (-2.0, 0.75, 0.75), (-4.0, 0.75, 0.75),
                                  (-8.0, 0.6, 0.75)]
    assert threshold_for_recall(result, 0.75) == (-2.0, 0.75)
    assert threshold_for_recall(result, 0.9) is None  # the fourth is out of reach
    text = evaluation_report(result, "labels.yaml", None)
    assert "0: precision 0.667, recall 0.500; -1: precision 0.667, recall 0.500; -2: precision 0.750" in text
    assert "No threshold reaches recall 0.9" in text
    result.scored.append((-9.5, True))
    assert "Recall 0.9 needs threshold -9.5 or lower, at precision 0.667." in evaluation_report(result, "l.yaml", None)
