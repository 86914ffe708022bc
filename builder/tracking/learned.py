"""The learned half of discovery's classifier: a logistic regression on the words of a paper's
title and abstract and on the rule signals it matches, trained offline on the project's
labelled papers (`tracking/discover_labels.yaml`; `learned` in discover.yaml).

Why: the hand-written rules separate "a new model" from "work about existing models" well only
where a paper uses the phrases they know. Adding this model's log-odds to the rule score found
more model papers at the same precision, measured with each labelled batch left out of the
training in turn and on a fresh batch (tracking/README.md, "Discovery", has the figures). The
rules stay: they gate the decision (a multimodal model kind must be named), name the model and
explain most of it.

Held out: the newest labelling batch's test split is never trained on, so its one evaluation
stays honest (the labels file's header). Training is deterministic (papers in arXiv-id order,
one seeded shuffle per epoch, features in sorted order) and happens at the first decision, once
per process for the same labels, rules and settings.
"""
from __future__ import annotations

import functools
import hashlib
import math
import random
from dataclasses import dataclass, replace
from typing import Iterable

from .classify import Rules, classify, normalize
from .evaluate import Labelled

SEED = 0
FOLDS = 5
_FITTED: dict = {}  # (labels digest, rules, l2, epochs) -> (weights, bias)


def features(title: str, abstract: str, signals: Iterable[str]) -> tuple[str, ...]:
    """The paper's words and word pairs, by where they stand, and the names of the rule signals it
    matched; `title` and `abstract` as `normalize` gives them (classify has them so already)."""
    out = set()
    for place, text in (("title", title), ("abstract", abstract)):
        words = text.split()
        out.update(f"{place}: {w}" for w in words)
        out.update(f"{place}: {a} {b}" for a, b in zip(words, words[1:]))
    out.update(f"signal: {s}" for s in signals)
    return tuple(sorted(out))


def train(samples: list[tuple[tuple[str, ...], bool]], l2: float, epochs: int,
          rate: float = 0.05) -> tuple[dict, float]:
    """Logistic regression by stochastic gradient descent with L2 shrinkage; deterministic."""
    weights: dict[str, float] = {}
    bias = 0.0
    order = list(range(len(samples)))
    shuffle = random.Random(SEED).shuffle
    for _ in range(epochs):
        shuffle(order)
        for i in order:
            feats, positive = samples[i]
            z = bias + sum(weights.get(f, 0.0) for f in feats)
            p = 1 / (1 + math.exp(-max(-30.0, min(30.0, z))))
            g = p - positive
            bias -= rate * g
            for f in feats:
                w = weights.get(f, 0.0)
                weights[f] = w - rate * (g + l2 * w)
    return {f: w for f, w in weights.items() if abs(w) > 1e-4}, bias


def fold_of(arxiv_id: str) -> int:
    return int(hashlib.sha256(arxiv_id.encode()).hexdigest(), 16) % FOLDS


def held_out(papers: Iterable[Labelled]) -> list[Labelled]:
    """The newest batch's test split: the papers whose one evaluation must stay unseen."""
    papers = list(papers)
    newest = max((p.batch for p in papers), default=0)
    return [p for p in papers if p.batch == newest and p.split == "test"]


@dataclass(frozen=True, eq=False)  # eq=False: hashed by identity, as Rules, which holds it, is hashed
class LearnedModel:
    papers: tuple[Labelled, ...]  # every labelled paper; those held out are left out of training
    rules: Rules  # whose signals are features (without a learned model of its own)
    l2: float
    epochs: int
    weight: float  # how many rule points a log-odds of 1 is worth
    fold: int | None = None  # a model trained without this fold of its papers (see `judging`)

    @functools.cached_property
    def training(self) -> list[Labelled]:
        hidden = {p.arxiv for p in held_out(self.papers)}
        return sorted((p for p in self.papers if p.arxiv not in hidden
                       and (self.fold is None or fold_of(p.arxiv) != self.fold)), key=lambda p: p.arxiv)

    @functools.cached_property
    def _trained_on(self) -> frozenset[str]:
        return frozenset(p.arxiv for p in self.training)

    @functools.cached_property
    def _folds(self) -> dict[int, LearnedModel]:
        return {}

    def judging(self, arxiv_id: str) -> LearnedModel:
        """The model that may judge this paper in an evaluation: this one, or, for a paper it
        was trained on, one trained without the paper's fold, so that figures on trained-on
        papers are not memorised ones (cross-fitting, FOLDS folds fixed by the id's hash)."""
        if self.fold is not None or arxiv_id not in self._trained_on:
            return self
        fold = fold_of(arxiv_id)
        if fold not in self._folds:
            self._folds[fold] = replace(self, fold=fold)
        return self._folds[fold]

    @property
    def name(self) -> str:
        newest = max((p.batch for p in self.papers), default=0)
        fold = f", fold {self.fold + 1} of {FOLDS} left out" if self.fold is not None else ""
        return f"learned from {len(self.training):,} labelled papers (batch {newest}'s test split held out{fold})"

    @functools.cached_property
    def fitted(self) -> tuple[dict, float]:
        digest = hashlib.sha256(repr([(p.arxiv, p.label, p.title, p.abstract, p.categories)
                                      for p in self.training]).encode()).hexdigest()
        key = (digest, self.rules, self.l2, self.epochs)
        if key not in _FITTED:
            samples = []
            for p in self.training:
                decision = classify(p.title, p.abstract, p.categories, self.rules)
                samples.append((features(normalize(p.title), normalize(p.abstract),
                                         (r.signal.name for r in decision.reasons)),
                                p.label == "model"))
            _FITTED[key] = train(samples, self.l2, self.epochs)
        return _FITTED[key]

    def judge(self, title: str, abstract: str, signals: Iterable[str]) -> tuple[float, str]:
        """The points this model adds to the rule score (weight x log-odds, to 0.01) and the
        features that weighed most, as a reason shows them; title and abstract normalised."""
        weights, bias = self.fitted
        parts = [(f, weights[f]) for f in features(title, abstract, signals) if f in weights]
        logit = bias + sum(w for _, w in parts)
        top = sorted(parts, key=lambda fw: (-abs(fw[1]), fw[0]))[:4]
        return round(self.weight * logit, 2), ", ".join(f"{f} {w:+.2f}" for f, w in top) or "no known word"
