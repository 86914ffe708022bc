"""Is an arXiv paper a new MM-LLM, or work about existing ones? Rules as data, offline.

The signals live in `tracking/discover.yaml` (`threshold`, `signals`; its comments document
them). A signal matches phrases (compared hyphen-, space-, case- and plural-insensitively, see
`normalize`), regular expressions and/or arXiv categories, in the title, the abstract or either.
A paper is a model candidate when at least one *gate* signal matched (it names a multimodal
model kind: text-only LLM papers name none) and the weights of every matched signal add up to
`threshold` or more; one that names a kind and falls short by no more than `review_margin` is a
*near miss*, listed for a person to glance at. Each decision keeps its reasons (signal, where,
weight), the name of the model a pattern found, and the sentence it was found in, so reports
and drafts can show them.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable

WHERE = ("title", "abstract", "any")

_TOKEN = re.compile(r"[a-z0-9]+(?:\.[0-9]+)*")
_JOIN = {"multi": "modal", "omni": "modal", "cross": "modal"}  # "multi modal" = "multimodal"


def _stem(token: str) -> str:
    """Plural-insensitive: 'models' and 'model', 'LLMs' and 'LLM' compare equal."""
    return token[:-1] if len(token) > 3 and token.endswith("s") and not token.endswith("ss") else token


def normalize(text: str) -> str:
    """Lower case, punctuation and hyphens as spaces, 'multi modal' as 'multimodal', each
    word singular; padded with spaces so ' phrase ' matches whole words only."""
    tokens = _TOKEN.findall(text.lower())
    out: list[str] = []
    for token in tokens:
        if out and token == "modal" and out[-1] in _JOIN:
            out[-1] += "modal"
            continue
        out.append(_stem(token))
    return " " + " ".join(out) + " "


class RuleError(ValueError):
    pass


@dataclass(frozen=True)
class Signal:
    name: str
    weight: float
    where: str = "any"
    phrases: tuple[tuple[str, str], ...] = ()  # (normalized, as written in the rules)
    patterns: tuple[re.Pattern, ...] = ()
    categories: tuple[str, ...] = ()
    gate: bool = False
    kind: str | None = None  # what the paper looks like when this signal weighs most
    recurs: bool = False  # a pattern's `name` group must also occur in the abstract


@dataclass(frozen=True)
class Rules:
    threshold: float
    signals: tuple[Signal, ...]
    review_margin: float = 0  # a gated paper this close below `threshold` is a near miss
    # adds its points to the rule score (learned.LearnedModel; `learned` in discover.yaml)
    learned: object | None = None


_SIGNAL_KEYS = {"name", "weight", "where", "phrases", "patterns", "categories", "gate", "kind",
                "recurs_in_abstract"}


def load_rules(data: dict, path: Path | str, at: Callable[..., str] | None = None) -> Rules:
    """Rules from the `threshold` and `signals` settings; RuleError names the file and field, and
    the line where `at(key, index=None)` gives "file:line" (the discover config passes it)."""
    def where(key: str, index: int | None = None) -> str:
        return at(key, index) if at else str(path)

    threshold = data.get("threshold")
    if not isinstance(threshold, (int, float)) or isinstance(threshold, bool):
        raise RuleError(f"{where('threshold')}: threshold: required, a number (the score a model candidate reaches)")
    margin = data.get("review_margin", 0)
    if not isinstance(margin, (int, float)) or isinstance(margin, bool) or margin < 0:
        raise RuleError(f"{where('review_margin')}: review_margin: a number from 0 (how far below the threshold a paper "
                        "is still listed as a near miss)")
    raw = data.get("signals")
    if not isinstance(raw, list) or not raw:
        raise RuleError(f"{where('signals')}: signals: required, a list of signals")
    signals = []
    for i, item in enumerate(raw):
        loc = f"{where('signals', i)}: signals[{i}]"
        if not isinstance(item, dict):
            raise RuleError(f"{loc}: expected a mapping with name, weight and phrases or patterns")
        loc = f"{loc} ({item.get('name', '?')})"
        unknown = set(item) - _SIGNAL_KEYS
        if unknown:
            raise RuleError(f"{loc}: unknown key {sorted(unknown)[0]!r}; known: {', '.join(sorted(_SIGNAL_KEYS))}")
        if not isinstance(item.get("name"), str) or not item["name"].strip():
            raise RuleError(f"{loc}: name: required, a short text shown as the reason")
        weight = item.get("weight", 0)
        if not isinstance(weight, (int, float)) or isinstance(weight, bool):
            raise RuleError(f"{loc}: weight: must be a number")
        place = item.get("where", "any")
        if place not in WHERE:
            raise RuleError(f"{loc}: where: {place!r} is not one of {', '.join(WHERE)}")
        lists = {}
        for key in ("phrases", "patterns", "categories"):
            value = item.get(key, [])
            if not isinstance(value, list) or not all(isinstance(v, str) and v.strip() for v in value):
                raise RuleError(f"{loc}: {key}: must be a list of non-empty texts")
            lists[key] = value
        if not (lists["phrases"] or lists["patterns"] or lists["categories"]):
            raise RuleError(f"{loc}: give phrases, patterns or categories to match")
        recurs = item.get("recurs_in_abstract", False)
        if not isinstance(recurs, bool):
            raise RuleError(f"{loc}: recurs_in_abstract: true or false")
        if recurs and (lists["phrases"] or lists["categories"] or not lists["patterns"]):
            raise RuleError(f"{loc}: recurs_in_abstract: only for patterns with a `name` group (no phrases "
                            "or categories)")
        patterns = []
        for p in lists["patterns"]:
            try:
                patterns.append(re.compile(p))
            except re.error as exc:
                raise RuleError(f"{loc}: patterns: {p!r} is not a regular expression ({exc})") from None
            if recurs and "name" not in patterns[-1].groupindex:
                raise RuleError(f"{loc}: patterns: {p!r} needs a (?P<name>...) group for recurs_in_abstract")
        signals.append(Signal(
            name=item["name"].strip(), weight=float(weight), where=place,
            phrases=tuple((normalize(p).strip(), p) for p in lists["phrases"]), patterns=tuple(patterns),
            categories=tuple(lists["categories"]), gate=bool(item.get("gate", False)),
            kind=str(item["kind"]) if item.get("kind") else None, recurs=recurs))
    if not any(s.gate for s in signals):
        raise RuleError(f"{where('signals')}: signals: mark at least one signal `gate: true` (what makes a paper multimodal)")
    return Rules(threshold=float(threshold), signals=tuple(signals), review_margin=float(margin))


@dataclass(frozen=True)
class Reason:
    signal: Signal
    where: str  # title | abstract | category
    matched: str  # the phrase, the text a pattern matched, or the category

    def __str__(self) -> str:
        gate = ", multimodal" if self.signal.gate else ""
        return f"{self.signal.name} ({self.where}: {self.matched!r}{gate}) {self.signal.weight:+g}"


@dataclass
class Decision:
    is_model: bool
    score: float
    reasons: list[Reason] = field(default_factory=list)
    gated: bool = False
    kind: str = "model"  # the likely label: model, or the kind of the signal that weighed against
    group: str | None = None  # the kind of the first gate signal matched (vision, video, audio ...)
    name: str | None = None  # the model name a pattern found (its `name` group)
    evidence: str | None = None  # the sentence that name was found in
    near_miss: bool = False  # not a candidate, but gated and within the rules' review_margin

    def explain(self) -> str:
        parts = [str(r) for r in self.reasons]
        if not self.gated:
            parts.append("no multimodal model term (gate)")
        return "; ".join(parts) or "no signal"


SENTENCE_END = re.compile(r"(?<=[.!?])\s+(?=[A-Z(])")


def _sentence(text: str, start: int) -> str:
    """The sentence of `text` around offset `start` (for evidence)."""
    begin = 0
    for m in SENTENCE_END.finditer(text, 0, start + 1):  # +1: the lookahead sees the first letter
        begin = m.end()
    end = SENTENCE_END.search(text, start)
    return text[begin:end.start() if end else len(text)].strip()


def _occurs(name: str | None, text: str) -> bool:
    """`name` as a whole word of `text`, ignoring case ('UniFork' and 'Unifork')."""
    return bool(name) and re.search(rf"(?<![\w-]){re.escape(name.strip())}(?![\w-])", text, re.IGNORECASE) is not None


def _match(signal: Signal, texts: dict[str, tuple[str, str]], categories: list[str]) -> tuple[Reason, re.Match | None] | None:
    places = ("title", "abstract") if signal.where == "any" else (signal.where,)
    for place in places:
        raw, norm = texts[place]
        for phrase, written in signal.phrases:
            if f" {phrase} " in norm:
                return Reason(signal, place, written), None
        for pattern in signal.patterns:
            m = pattern.search(raw)
            if m and signal.recurs and not _occurs(m.group("name"), texts["abstract"][0]):
                continue
            if m:
                return Reason(signal, place, " ".join(m.group(0).split())[:80]), m
    for cat in signal.categories:
        if cat in categories:
            return Reason(signal, "category", cat), None
    return None


# en and em dashes, non-breaking and other hyphens read as '-' by the patterns ("vision–language")
_DASHES = str.maketrans({c: "-" for c in "\u2010\u2011\u2012\u2013\u2014\u2212"})


def classify(title: str, abstract: str, categories: list[str] | tuple[str, ...], rules: Rules) -> Decision:
    """The decision on one paper, with every matched signal as a reason (in rule order)."""
    title, abstract = title.translate(_DASHES), abstract.translate(_DASHES)
    texts = {"title": (title, normalize(title)), "abstract": (abstract, normalize(abstract))}
    reasons: list[Reason] = []
    name = evidence = None
    for signal in rules.signals:
        hit = _match(signal, texts, list(categories))
        if hit is None:
            continue
        reason, m = hit
        reasons.append(reason)
        if m is not None and name is None and "name" in m.re.groupindex and m.group("name"):
            name = m.group("name").strip(" ,")
            evidence = _sentence(texts[reason.where][0], m.start())
    if rules.learned is not None:
        points, words = rules.learned.judge(texts["title"][1], texts["abstract"][1], [r.signal.name for r in reasons])
        reasons.append(Reason(Signal(rules.learned.name, points), "title and abstract", words))
    score = round(sum(r.signal.weight for r in reasons), 2)  # the learned part's points are to 0.01
    gates = [r for r in reasons if r.signal.gate]
    decision = Decision(is_model=bool(gates) and score >= rules.threshold, score=score, reasons=reasons,
                        gated=bool(gates), group=next((r.signal.kind for r in gates if r.signal.kind), None),
                        name=name, evidence=evidence)
    decision.near_miss = (decision.gated and not decision.is_model and rules.review_margin > 0
                          and score >= rules.threshold - rules.review_margin)
    if not decision.is_model:
        against = [r for r in reasons if r.signal.weight < 0 and r.signal.kind]
        if not gates:
            decision.kind = "not multimodal"
        elif against:
            decision.kind = min(against, key=lambda r: r.signal.weight).signal.kind
        else:
            decision.kind = "too little evidence"
    return decision
