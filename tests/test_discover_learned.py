"""The learned half of the discovery classifier (builder/tracking/learned.py): what it trains on,
that it is deterministic, that evaluations never use a model on a paper it trained on, and its
settings in discover.yaml."""
from __future__ import annotations

from dataclasses import replace
from pathlib import Path

import pytest

from builder.tracking.classify import classify, load_rules, normalize
from builder.tracking.discover import ConfigError, load_config
from builder.tracking.evaluate import Labelled, evaluate, split_of
from builder.tracking.learned import FOLDS, LearnedModel, features, fold_of, held_out, train

ROOT = Path(__file__).resolve().parents[1]
RULES = load_rules({"threshold": 0, "signals": [
    {"name": "names a multimodal model", "gate": True, "phrases": ["mllm"]},
    {"name": "a benchmark", "weight": -1, "kind": "benchmark", "phrases": ["benchmark"]}]}, "rules.yaml")

MODEL = "We release Foo-{n}, an MLLM with open weights trained on our data."
OTHER = "We evaluate existing MLLMs on a new benchmark of {n} tasks."


def ids(split: str, count: int, start: int = 0) -> list[str]:
    """arXiv-like ids whose hash puts them in `split`."""
    out, n = [], start
    while len(out) < count:
        ident = f"2601.{n:05d}"
        if split_of(ident) == split:
            out.append(ident)
        n += 1
    return out


def paper(ident: str, model: bool, batch: int = 1, n: int = 0) -> Labelled:
    return Labelled(ident, f"Paper {n}", "model" if model else "benchmark", split_of(ident),
                    (MODEL if model else OTHER).format(n=n), ("cs.CV",), batch=batch)


def corpus() -> list[Labelled]:
    """Batch 1 (trained on) and batch 2, the newest, whose test split is held out."""
    old = [paper(i, k % 2 == 0, 1, k) for k, i in enumerate(ids("dev", 20) + ids("test", 20))]
    new = [paper(i, k % 2 == 0, 2, 100 + k) for k, i in enumerate(ids("dev", 4, 500) + ids("test", 6, 500))]
    return old + new


def model_of(papers, **kw) -> LearnedModel:
    return LearnedModel(tuple(papers), RULES, kw.get("l2", 0.001), kw.get("epochs", 10), kw.get("weight", 1.0))


def test_the_newest_batchs_test_split_is_never_trained_on():
    papers = corpus()
    hidden = {p.arxiv for p in held_out(papers)}
    assert len(hidden) == 6 and all(p.batch == 2 and p.split == "test" for p in papers if p.arxiv in hidden)
    learned = model_of(papers)
    assert hidden.isdisjoint(p.arxiv for p in learned.training) and len(learned.training) == len(papers) - 6
    # relabelling a held-out paper leaves the weights alone; relabelling a trained-on one does not
    flip = lambda p: replace(p, label="benchmark" if p.label == "model" else "model")  # noqa: E731
    one_hidden = next(i for i, p in enumerate(papers) if p.arxiv in hidden)
    one_seen = next(i for i, p in enumerate(papers) if p.arxiv not in hidden)
    other = [flip(p) if i == one_hidden else p for i, p in enumerate(papers)]
    assert model_of(other).fitted == learned.fitted
    other = [flip(p) if i == one_seen else p for i, p in enumerate(papers)]
    assert model_of(other).fitted != learned.fitted


def test_training_is_deterministic_and_learns_the_words_that_mark_a_model():
    samples = [(features(normalize(p.title), normalize(p.abstract), []), p.label == "model") for p in corpus()]
    first, second = train(samples, 0.001, 10), train(list(samples), 0.001, 10)
    assert first == second
    weights, _ = first
    assert weights["abstract: we release"] > 0 > weights["abstract: benchmark"]


def test_its_points_join_the_rule_score_with_the_words_that_weighed_most():
    rules = replace(RULES, learned=model_of(corpus()))
    model = classify("Bar", "We release Bar-7, an MLLM with open weights trained on our data.", ["cs.CV"], rules)
    other = classify("Baz", "We evaluate existing MLLMs on a new benchmark of 9 tasks.", ["cs.CV"], rules)
    assert model.is_model and not other.is_model
    reason = model.reasons[-1]
    assert reason.signal.name == "learned from 44 labelled papers (batch 2's test split held out)"
    assert reason.signal.weight > 0 and model.score == pytest.approx(reason.signal.weight)
    assert "abstract: " in reason.matched and "learned from 44 labelled papers" in model.explain()
    assert other.reasons[-1].signal.weight < 0 and other.kind == "benchmark"


def test_an_evaluation_judges_each_trained_on_paper_by_a_model_trained_without_it():
    papers = corpus()
    learned = model_of(papers)
    for p in papers:
        judge = learned.judging(p.arxiv)
        assert p.arxiv not in {q.arxiv for q in judge.training}
        assert (judge is learned) == (p in held_out(papers))
    assert {fold_of(p.arxiv) for p in papers} == set(range(FOLDS))
    result = evaluate(papers, replace(RULES, learned=learned))
    assert result.cross_fitted == len(papers) - 6 and result.tp == sum(p.label == "model" for p in papers)


def test_the_projects_classifier_shows_the_learned_reason():
    config = load_config(ROOT / "tracking" / "discover.yaml")
    assert config.rules.learned is not None
    d = classify("Zeta-VL: An Open Vision-Language Model", "We present Zeta-VL, an open vision-language model. "
                 "Model weights are released.", ["cs.CV"], config.rules)
    assert "learned from " in d.explain() and "test split held out" in d.explain()


@pytest.mark.parametrize("learned, message", [
    ("[1, 2]", "learned: a mapping"),
    ("{labels: labels.yaml, weight: 1, l2: 0.001, epochs: 10, rate: 2}", "learned: unknown key 'rate'"),
    ("{labels: labels.yaml, weight: 1, l2: 0.001, epochs: 0}", "learned.epochs: required"),
    ("{labels: labels.yaml, weight: -1, l2: 0.001, epochs: 10}", "learned.weight: required"),
    ("{labels: missing.yaml, weight: 1, l2: 0.001, epochs: 10}", "learned.labels: "),
])
def test_a_bad_learned_setting_names_the_file_line_and_field(tmp_path, learned, message):
    (tmp_path / "labels.yaml").write_text((ROOT / "tracking" / "discover_labels.yaml").read_text(encoding="utf-8"),
                                          encoding="utf-8")
    text = (ROOT / "tracking" / "discover.yaml").read_text(encoding="utf-8")
    start = text.index("learned:\n")
    end = text.index("\n", text.index("epochs:", start)) + 1
    text = text[:start] + f"learned: {learned}\n" + text[end:]
    path = tmp_path / "discover.yaml"
    path.write_text(text, encoding="utf-8")
    line = text[:start].count("\n") + 1
    with pytest.raises(ConfigError) as err:
        load_config(path)
    assert str(err.value).startswith(f"{path}:{line}: ") and message in str(err.value)
    if "missing" in learned:
        assert "missing.yaml: cannot read" in str(err.value)
