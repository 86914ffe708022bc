"""`mmllm discover --evaluate LABELS`: how well the rules separate new MM-LLM papers from the
rest, on a labelled list (`tracking/discover_labels.yaml`), offline.

A labelled paper counts as positive when its label is `model`; the classifier's decision is
positive when it would draft the paper. The report gives precision, recall, F1, the confusion
counts, the false positives per label and every miss with the reasons behind its decision.
"""
from __future__ import annotations

import hashlib
from collections import Counter
from dataclasses import dataclass, field, replace
from pathlib import Path

import yaml

from .classify import Decision, Rules, classify, normalize

LABELS = ("model", "dataset", "benchmark", "survey", "method", "analysis", "text-llm", "diffusion",
          "robot-policy", "other")
SPLITS = ("dev", "test")
_Parser = getattr(yaml, "CSafeLoader", yaml.SafeLoader)  # libyaml's C parser: ten times faster here
TEST_DIGITS = 10  # test when the first hex digit of sha256(arXiv id) is below this (10 of 16)


def split_of(arxiv_id: str) -> str:
    """The split an arXiv id belongs to: fixed by its hash, so nobody picks the test papers."""
    return "test" if int(hashlib.sha256(arxiv_id.encode()).hexdigest()[0], 16) < TEST_DIGITS else "dev"


class LabelError(ValueError):
    pass


@dataclass(frozen=True)
class Labelled:
    arxiv: str
    title: str
    label: str
    split: str
    abstract: str
    categories: tuple[str, ...] = ()
    line: int = 0
    batch: int = 1  # the labelling round the paper came in (see the labels file's header)


def load_labels(path: Path) -> list[Labelled]:
    """The labelled papers; LabelError names the file, line and field, with a hint."""
    try:
        text = path.read_text(encoding="utf-8")
    except OSError as exc:
        raise LabelError(f"{path}: cannot read ({exc.strerror})") from None
    try:
        node = yaml.compose(text, Loader=_Parser)
        data = yaml.load(text, Loader=_Parser)
    except yaml.YAMLError as exc:
        raise LabelError(f"{path}: not valid YAML ({exc})") from None
    if not isinstance(data, list) or node is None:
        raise LabelError(f"{path}: expected a list of papers (arxiv, title, label, split, abstract, source)")
    out, seen = [], {}
    for item, item_node in zip(data, node.value):
        line = item_node.start_mark.line + 1
        at = f"{path}:{line}"
        if not isinstance(item, dict):
            raise LabelError(f"{at}: expected a mapping with arxiv, title, label, split, abstract, source")
        for key in ("arxiv", "title", "label", "split", "abstract", "source"):
            if not isinstance(item.get(key), str) or not item[key].strip():
                raise LabelError(f"{at}: {key}: required, a non-empty text")
        ident = item["arxiv"]
        if ident in seen:
            raise LabelError(f"{at}: arxiv: {ident} is already labelled at line {seen[ident]}")
        seen[ident] = line
        if item["label"] not in LABELS:
            raise LabelError(f"{at}: label: {item['label']!r} is not one of {', '.join(LABELS)}")
        if item["split"] != split_of(ident):
            raise LabelError(f"{at}: split: {ident} belongs to {split_of(ident)!r} (fixed by sha256 of the id; "
                             "see the file's header), not {item['split']!r}")
        cats = item.get("categories", [])
        if not isinstance(cats, list) or not all(isinstance(c, str) for c in cats):
            raise LabelError(f"{at}: categories: a list of arXiv categories such as cs.CV")
        batch = item.get("batch", 1)
        if not isinstance(batch, int) or isinstance(batch, bool) or batch < 1:
            raise LabelError(f"{at}: batch: a whole number from 1 (the labelling round), not {batch!r}")
        out.append(Labelled(ident, item["title"], item["label"], item["split"], item["abstract"],
                            tuple(cats), line, batch))
    return out


@dataclass
class Evaluation:
    papers: int
    tp: int = 0
    fp: int = 0
    fn: int = 0
    tn: int = 0
    false_positives: list[tuple[Labelled, Decision]] = field(default_factory=list)
    misses: list[tuple[Labelled, Decision]] = field(default_factory=list)
    accepted_by_label: Counter = field(default_factory=Counter)
    labels: Counter = field(default_factory=Counter)
    searched: bool = False  # whether the search stage was applied (a Reach given)
    unreached: set[str] = field(default_factory=set)  # arXiv ids no search phrase or category reaches
    near_models: int = 0  # missed model papers the report lists as near misses
    near_others: int = 0  # other papers it lists as near misses
    cross_fitted: int = 0  # papers the learned model trained on, judged by one trained without them
    threshold: float = 0.0  # the rules' threshold the figures above are at
    # (score, is a model) of each paper the search reaches and the gate holds: what other
    # thresholds would give (`trade_offs`)
    scored: list[tuple[float, bool]] = field(default_factory=list)

    @property
    def precision(self) -> float:
        return self.tp / (self.tp + self.fp) if self.tp + self.fp else 0.0

    @property
    def recall(self) -> float:
        return self.tp / (self.tp + self.fn) if self.tp + self.fn else 0.0

    @property
    def within_reach(self) -> int:
        """Model papers the search reaches and the gate holds: the most any threshold can draft."""
        return sum(positive for _, positive in self.scored)

    @property
    def precision_interval(self) -> tuple[float, float]:
        return wilson(self.tp, self.tp + self.fp)

    @property
    def recall_interval(self) -> tuple[float, float]:
        return wilson(self.tp, self.tp + self.fn)

    @property
    def f1(self) -> float:
        p, r = self.precision, self.recall
        return 2 * p * r / (p + r) if p + r else 0.0


def wilson(hits: int, n: int, z: float = 1.96) -> tuple[float, float]:
    """The 95% Wilson score interval of a proportion hits/n: how far a figure measured on a few
    dozen papers can be from the rules' true rate (a held-out batch of 14 models once gave a
    recall of 0.929 that larger batches did not repeat)."""
    if n == 0:
        return 0.0, 0.0
    p = hits / n
    centre = (p + z * z / (2 * n)) / (1 + z * z / n)
    half = z * ((p * (1 - p) + z * z / (4 * n)) / n) ** 0.5 / (1 + z * z / n)
    return max(0.0, centre - half), min(1.0, centre + half)


@dataclass(frozen=True)
class Reach:
    """What the weekly search asks arXiv for (discover.yaml's `phrases`, `paired_phrases` and
    `categories`), to tell which labelled papers it could return."""
    phrases: tuple[str, ...]
    categories: tuple[str, ...] = ()
    paired: tuple[tuple[tuple[str, ...], ...], ...] = ()

    def reaches(self, paper: Labelled) -> bool:
        """A phrase in the title or abstract, or a phrase of every group of one paired query
        (compared as the classifier compares phrases, standing in for arXiv's word match) and,
        where the labels know the paper's categories, one of the listing categories."""
        if self.categories and paper.categories and not set(paper.categories) & set(self.categories):
            return False
        text = normalize(paper.title + " " + paper.abstract)

        def holds(group: tuple[str, ...]) -> bool:
            return any(f" {normalize(p).strip()} " in text for p in group)

        return holds(self.phrases) or any(all(holds(g) for g in pair) for pair in self.paired)


def evaluate(papers: list[Labelled], rules: Rules, split: str | None = None, batch: int | None = None,
             reach: Reach | None = None) -> Evaluation:
    """The rules on the chosen papers; with `reach` (the weekly search's), a paper the search
    cannot return is not drafted whatever the rules say: the figures of a weekly run."""
    chosen = [p for p in papers if (split is None or p.split == split) and (batch is None or p.batch == batch)]
    result = Evaluation(papers=len(chosen), searched=reach is not None, threshold=rules.threshold)
    for paper in chosen:
        judge = rules
        if rules.learned is not None:  # a paper it trained on is judged by a model trained without it
            learned = rules.learned.judging(paper.arxiv)
            judge = rules if learned is rules.learned else replace(rules, learned=learned)
            result.cross_fitted += judge is not rules
        decision = classify(paper.title, paper.abstract, paper.categories, judge)
        reached = reach is None or reach.reaches(paper)
        if not reached:
            result.unreached.add(paper.arxiv)
            decision.is_model = False
        result.labels[paper.label] += 1
        positive = paper.label == "model"
        if reached and decision.gated:
            result.scored.append((decision.score, positive))
        if decision.is_model:
            result.accepted_by_label[paper.label] += 1
        if positive and decision.is_model:
            result.tp += 1
        elif positive:
            result.fn += 1
            result.misses.append((paper, decision))
        elif decision.is_model:
            result.fp += 1
            result.false_positives.append((paper, decision))
        else:
            result.tn += 1
        if not decision.is_model and decision.near_miss and paper.arxiv not in result.unreached:
            result.near_models += positive
            result.near_others += not positive
    return result


def trade_offs(result: Evaluation, below: tuple[int, ...] = (1, 2, 4, 8)) -> list[tuple[float, float, float]]:
    """(threshold, precision, recall) at the rules' threshold and at each of `below` points under it:
    what lowering the threshold would buy in recall and cost in precision."""
    models = result.labels["model"]
    out = []
    for step in (0, *below):
        threshold = result.threshold - step
        drafted = [positive for score, positive in result.scored if score >= threshold]
        found = sum(drafted)
        out.append((threshold, found / len(drafted) if drafted else 0.0, found / models if models else 0.0))
    return out


def curve(result: Evaluation):
    """(threshold, precision, recall) at each score a paper within reach has, highest first: every
    threshold that drafts a different set of papers."""
    models = result.labels["model"]
    found = drafted = 0
    ranked = sorted(result.scored, key=lambda sp: -sp[0])
    for i, (score, positive) in enumerate(ranked):
        found += positive
        drafted += 1
        if i + 1 < len(ranked) and ranked[i + 1][0] == score:
            continue  # a threshold drafts every paper of the same score
        yield score, found / drafted, found / models if models else 0.0


def threshold_for_recall(result: Evaluation, recall: float) -> tuple[float, float] | None:
    """The highest threshold that finds `recall` of the model papers, and its precision; None when
    search and gate leave too few within reach."""
    return next(((t, p) for t, p, r in curve(result) if r >= recall and result.labels["model"]), None)


def report_markdown(result: Evaluation, source: str, split: str | None, batch: int | None = None) -> str:
    scope = (f"split {split}" if split else "all splits") + (f", batch {batch}" if batch else "")
    lines = [f"## mmllm discover --evaluate {source} ({scope})", "",
             f"{result.papers} labelled paper(s): " + ", ".join(f"{n} {k}" for k, n in sorted(result.labels.items())),
             "",
             "| precision | recall | F1 | true pos. | false pos. | false neg. | true neg. |",
             "|---:|---:|---:|---:|---:|---:|---:|",
             f"| {result.precision:.3f} | {result.recall:.3f} | {result.f1:.3f} | {result.tp} | {result.fp} | "
             f"{result.fn} | {result.tn} |", "",
             "95% intervals (Wilson): precision {:.3f}-{:.3f}, recall {:.3f}-{:.3f}.".format(
                 *result.precision_interval, *result.recall_interval), ""]
    if result.cross_fitted:
        lines += [f"{result.cross_fitted} of these paper(s) are among those the learned model trains on: each was "
                  "judged by a model trained without its fold of the labelled papers (one of five, fixed by the "
                  "hash of its id), so its figures are not memorised ones.", ""]
    models = result.labels["model"]
    if result.searched:
        unreached = sum(1 for p, _ in result.misses if p.arxiv in result.unreached)
        lines += [f"The search phrases reach {models - unreached} of the {models} model paper(s); "
                  f"{len(result.unreached)} paper(s) in all are out of their reach.", ""]
    if models:
        reached = "the search reaches and " if result.searched else ""
        lines += [f"Of the {models} model paper(s), {reached}the gate (a multimodal model kind named) holds "
                  f"{result.within_reach}: no threshold drafts more of them (recall at most "
                  f"{result.within_reach / models:.3f}).", ""]
        rows = trade_offs(result)
        lines += ["What a lower threshold trades (the same papers): "
                  + "; ".join(f"{t:g}: precision {p:.3f}, recall {r:.3f}" for t, p, r in rows) + "."]
        need = threshold_for_recall(result, 0.9)
        lines += [(f"Recall 0.9 needs threshold {need[0]:g} or lower, at precision {need[1]:.3f}." if need else
                   "No threshold reaches recall 0.9: search and gate leave too few model papers within reach."), ""]
    if result.near_models or result.near_others:
        found = result.tp + result.near_models
        lines += [f"Near misses (listed in the weekly report, not drafted): {result.near_models} model paper(s) and "
                  f"{result.near_others} other(s). Drafts and near misses together find {found} of the "
                  f"{result.tp + result.fn} model paper(s) (recall {found / (result.tp + result.fn):.3f}) among "
                  f"{result.tp + result.fp + result.near_models + result.near_others} paper(s) to read.", ""]
    if result.accepted_by_label:
        lines += ["Judged a new model, by label: "
                  + ", ".join(f"{k} {n}" for k, n in sorted(result.accepted_by_label.items())), ""]
    for heading, items in (("Missed models (false negatives)", result.misses),
                           ("Not models drafted (false positives)", result.false_positives)):
        lines += [f"### {heading} ({len(items)})", ""]
        for paper, decision in items:
            unreached = "not reached by any search phrase; " if paper.arxiv in result.unreached else ""
            lines.append(f"- arXiv {paper.arxiv} ({paper.label}, line {paper.line}) {paper.title!r}: {unreached}"
                         f"score {decision.score:g}, looks like {decision.kind if not decision.is_model else 'model'}; "
                         f"{decision.explain()}")
        lines.append("")
    return "\n".join(lines)
