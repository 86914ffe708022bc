"""Taxonomy trees: the survey's I->O tree and the component trees, as plain data.

Every tree is derived from the records (and, for families, from `builder.data.families.family_of`),
never from a hand-kept list. A node counts the distinct models under it, so a model that uses
two encoders of one family is counted once there.
"""
from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field

from schema import ModelRecord
from schema import vocabularies as vocab

from .families import family_of, rules

ARROW = " → "
# A category is "any-to-any" (the survey's name for NExT-GPT-like systems) when its outputs
# include all of its inputs and at least this many non-text modalities.
ANY_TO_ANY_MIN_OUTPUTS = 3
FUNCTIONAL_ORDER = ("understanding", "generation")
DESIGN_ORDER = ("end-to-end", "tool-using", "unknown")


@dataclass
class Leaf:
    model: ModelRecord
    note: str = ""  # e.g. the LLM sizes this model uses


@dataclass
class Tree:
    label: str
    children: list[Tree] = field(default_factory=list)
    leaves: list[Leaf] = field(default_factory=list)
    hint: str = ""  # longer text for the summary's title attribute
    tag: str = ""  # a short badge, e.g. "any-to-any"

    def model_ids(self) -> set[str]:
        ids = {leaf.model.id for leaf in self.leaves}
        for child in self.children:
            ids |= child.model_ids()
        return ids

    @property
    def count(self) -> int:
        return len(self.model_ids())


def count_models(nodes: list[Tree]) -> int:
    ids: set[str] = set()
    for node in nodes:
        ids |= node.model_ids()
    return len(ids)


# -- I->O categories -----------------------------------------------------------------------

def _side(ids: list[str]) -> str:
    mods = vocab.modalities()
    ordered = [i for i in ids if i != "text"] + (["text"] if "text" in ids else [])
    return "+".join(mods[i].notation for i in ordered)


def io_category(model: ModelRecord) -> tuple[tuple[str, ...], tuple[str, ...]]:
    """A model's category: its input and output modality sets, in vocabulary order."""
    order = list(vocab.modalities())
    return (tuple(sorted(set(model.io.input), key=order.index)),
            tuple(sorted(set(model.io.output), key=order.index)))


def io_sort_key(category: tuple[tuple[str, ...], tuple[str, ...]]) -> tuple:
    """Text-only output first, then by how much the output adds; inputs simplest first.

    Gives I+T→T, V+T→T, A+T→T, 3D+T→T, …, I+V+A+T→T, I+T→I+T, …, and any-to-any last.
    """
    order = list(vocab.modalities())
    ins = [order.index(i) for i in category[0] if i != "text"]
    outs = [order.index(o) for o in category[1] if o != "text"]
    return (len(outs), outs, len(ins), ins, "text" not in category[1])


def is_any_to_any(category: tuple[tuple[str, ...], tuple[str, ...]]) -> bool:
    ins, outs = set(category[0]), set(category[1])
    return ins <= outs and len(outs - {"text"}) >= ANY_TO_ANY_MIN_OUTPUTS


def io_text(category: tuple[tuple[str, ...], tuple[str, ...]]) -> str:
    """'I+T → T' (the survey's letters, text last)."""
    return _side(list(category[0])) + ARROW + _side(list(category[1]))


def io_words(category: tuple[tuple[str, ...], tuple[str, ...]]) -> str:
    mods = vocab.modalities()

    def side(ids):
        ordered = [i for i in ids if i != "text"] + (["text"] if "text" in ids else [])
        return ", ".join(mods[i].label for i in ordered)
    return f"{side(category[0])} in; {side(category[1])} out"


def io_groups(models: list[ModelRecord]) -> list[tuple[tuple, list[ModelRecord]]]:
    """Models per I->O category, categories in io_sort_key order, models by date then name."""
    groups: dict[tuple, list[ModelRecord]] = defaultdict(list)
    for m in models:
        groups[io_category(m)].append(m)
    return [(cat, sorted(groups[cat], key=_by_date)) for cat in sorted(groups, key=io_sort_key)]


def _by_date(m: ModelRecord):
    return (m.date, m.name.lower(), m.id)


def functional_label(m: ModelRecord) -> str:
    return " & ".join(f.capitalize() for f in FUNCTIONAL_ORDER if f in m.functional)


def io_tree(models: list[ModelRecord]) -> list[Tree]:
    """The survey's tree: I->O category -> functional division -> design division -> models."""
    nodes = []
    for cat, members in io_groups(models):
        node = Tree(io_text(cat), hint=io_words(cat), tag="any-to-any" if is_any_to_any(cat) else "")
        by_fn: dict[str, list[ModelRecord]] = defaultdict(list)
        for m in members:
            by_fn[functional_label(m)].append(m)
        fn_order = [" & ".join(f.capitalize() for f in combo) for combo in
                    (("understanding",), ("generation",), FUNCTIONAL_ORDER)]
        for fn in sorted(by_fn, key=lambda k: (fn_order.index(k) if k in fn_order else 9, k)):
            fn_node = Tree(fn)
            for design in DESIGN_ORDER:
                leaves = [Leaf(m) for m in by_fn[fn] if m.design == design]
                if leaves:
                    fn_node.children.append(Tree(design.capitalize(), leaves=leaves))
            node.children.append(fn_node)
        nodes.append(node)
    return nodes


# -- component trees -----------------------------------------------------------------------

STAGE_OF = {"encoder": "modality_encoder", "projector": "input_projector",
            "llm": "llm_backbone", "generator": "modality_generator"}
ABSENT_LABELS = {"none": "None (verified absent)", "unknown": "Not reported",
                 "no-architecture": "No end-to-end architecture recorded"}


def _group_label(kind: str, item) -> str:
    if kind == "projector":
        return vocab.projector_types()[item.types[0]].label
    return family_of(kind, item)


def _leaf_note(kind: str, item) -> str:
    if kind == "llm" and item.sizes:
        return ", ".join(item.sizes)
    if kind == "encoder" and item.resolution:
        return f"{item.resolution} px"
    return ""


def component_tree(models: list[ModelRecord], kind: str) -> list[Tree]:
    """Group -> printed name -> models, for kind 'encoder', 'projector', 'llm' or 'generator'.

    Groups are families (encoder, LLM, generator) or the main layer type (projector, its
    first listed type). A model with several components appears under each group and name
    once. Models without such a component are kept, under "None", "Not reported" or
    "No end-to-end architecture recorded", so the tree accounts for every model.
    """
    stage = STAGE_OF[kind]
    groups: dict[str, dict[str, dict[str, Leaf]]] = defaultdict(lambda: defaultdict(dict))
    absent: dict[str, list[ModelRecord]] = defaultdict(list)
    fallbacks = set()
    for m in sorted(models, key=_by_date):
        value = getattr(m.architecture, stage) if m.architecture else "no-architecture"
        if isinstance(value, str):
            absent[value].append(m)
            continue
        for item in value:
            group = _group_label(kind, item)
            leaves = groups[group][item.name]
            note = _leaf_note(kind, item)
            if m.id in leaves:
                if note and note not in leaves[m.id].note:
                    leaves[m.id].note = ", ".join(filter(None, [leaves[m.id].note, note]))
            else:
                leaves[m.id] = Leaf(m, note)
    if kind != "projector":
        fallbacks.add(rules()[kind].fallback)
    nodes = []
    for group, names in groups.items():
        node = Tree(group, children=[Tree(name, leaves=list(leaves.values()))
                                     for name, leaves in names.items()])
        node.children.sort(key=lambda n: (-n.count, n.label.lower()))
        nodes.append(node)
    nodes.sort(key=lambda n: (n.label in fallbacks, -n.count, n.label.lower()))
    for key in ("none", "unknown", "no-architecture"):
        if absent[key]:
            nodes.append(Tree(ABSENT_LABELS[key], leaves=[Leaf(m) for m in absent[key]],
                              tag="absent"))
    return nodes


COMPONENT_TREES = [  # (kind, heading, what the groups are)
    ("encoder", "By modality encoder", "encoder family"),
    ("projector", "By input projector", "main layer type (the first one listed)"),
    ("llm", "By LLM backbone", "LLM family"),
    ("generator", "By modality generator", "generator family"),
]


def taxonomy_context(models: list[ModelRecord]) -> dict:
    return {
        "io_tree": io_tree(models),
        "component_trees": [(kind, heading, what, component_tree(models, kind))
                            for kind, heading, what in COMPONENT_TREES],
        "total": len(models),
    }
