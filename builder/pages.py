"""Validated records -> page sources (Markdown with HTML blocks), as plain functions.

Nothing here touches MkDocs or the file system beyond reading templates, so every page can be
checked against an expected-output file. Templates autoescape, and the `md` filter also escapes
Markdown punctuation, so record text is always shown as text.
"""
from __future__ import annotations

import re
from collections import defaultdict
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path

import jinja2
import yaml
from markupsafe import Markup, escape

from schema import ModelRecord, io_notation
from schema import vocabularies as vocab

TEMPLATES = Path(__file__).parent / "templates"
STAGES = [  # the survey's five-part pipeline, in order
    ("modality_encoder", "Modality Encoder"),
    ("input_projector", "Input Projector"),
    ("llm_backbone", "LLM Backbone"),
    ("output_projector", "Output Projector"),
    ("modality_generator", "Modality Generator"),
]
_MD_SPECIAL = re.compile(r"([\\`*_{}\[\]()#+\-.!|~<>])")


def md(text: object) -> Markup:
    """Escape for HTML, then for Markdown, so text renders literally in a Markdown line."""
    return Markup(_MD_SPECIAL.sub(r"\\\1", str(escape(str(text)))))


def front_matter(**meta) -> str:
    # HTML-escaped because MkDocs themes print page titles without autoescaping.
    return "---\n" + yaml.safe_dump({k: str(escape(v)) for k, v in meta.items()},
                                    allow_unicode=True) + "---\n"


@cache
def _env() -> jinja2.Environment:
    env = jinja2.Environment(
        loader=jinja2.FileSystemLoader(TEMPLATES),
        autoescape=True,  # every template, whatever its extension
        undefined=jinja2.StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
    )
    env.filters["md"] = md
    env.globals.update(stages=STAGES, modalities=vocab.modalities(), benchmarks=vocab.benchmarks(),
                       io_label=io_label,
                       component_text=component_text, projector_labels=projector_labels)
    return env


def render(template: str, **context) -> str:
    return _env().get_template(template).render(**context)


# -- small helpers used by templates -------------------------------------------------------

def io_label(model: ModelRecord) -> str:
    return io_notation(model.io.input, model.io.output)


def projector_labels(types: list[str]) -> str:
    labels = vocab.projector_types()
    return " + ".join(labels[t].label for t in types)


def component_text(model: ModelRecord, stage: str) -> str:
    """One line for an index cell: 'CLIP ViT-L@336', 'Q-Former w/ Linear Projector', 'none'."""
    value = getattr(model.architecture, stage) if model.architecture else "unknown"
    if model.architecture is None and model.tools:
        return "tool-using" if stage == "llm_backbone" else "—"
    if isinstance(value, str):
        return value
    parts = []
    for item in value:
        text = item.name
        if getattr(item, "resolution", None):
            text += f"@{item.resolution}"
        if getattr(item, "sizes", None):
            text += " " + "/".join(item.sizes)
        parts.append(text)
    return "; ".join(parts)


# -- pages ---------------------------------------------------------------------------------

@dataclass(frozen=True)
class SiteContext:
    edit_base: str | None = None  # e.g. https://github.com/ORG/REPO/edit/main/


def model_page(model: ModelRecord, record_path: str, site: SiteContext = SiteContext()) -> str:
    edit_url = f"{site.edit_base}{record_path}" if site.edit_base else None
    return front_matter(title=model.name) + render(
        "model.md.j2", m=model, record_path=record_path, edit_url=edit_url)


def models_index(models: list[ModelRecord]) -> str:
    ordered = sorted(models, key=lambda m: (m.date, m.name.lower()), reverse=True)
    return front_matter(title="Models") + render("models_index.md.j2", models=ordered)


@dataclass
class Node:
    """A taxonomy node: a label, its child nodes or (at a leaf) its models, and a count."""
    label: str
    children: list[Node] = field(default_factory=list)
    models: list[ModelRecord] = field(default_factory=list)

    @property
    def count(self) -> int:
        return len(self.models) + sum(c.count for c in self.children)


def group_tree(models: list[ModelRecord], *keys) -> list[Node]:
    """Nest models by successive key functions; siblings by size (largest first), then label."""
    if not keys:
        return []
    groups: dict[str, list[ModelRecord]] = defaultdict(list)
    for m in models:
        groups[keys[0](m)].append(m)
    nodes = []
    for label, members in groups.items():
        members.sort(key=lambda m: (m.date, m.name.lower()))
        node = Node(label, children=group_tree(members, *keys[1:]))
        if not keys[1:]:
            node.models = members
        nodes.append(node)
    return sorted(nodes, key=lambda n: (-n.count, n.label))


def io_tree(models: list[ModelRecord]) -> list[Node]:
    """The survey's tree: I->O category -> functional division -> design division."""
    return group_tree(models, io_label,
                      lambda m: " & ".join(f.capitalize() for f in m.functional),
                      lambda m: m.design.capitalize())


def taxonomy_page(models: list[ModelRecord]) -> str:
    return front_matter(title="Taxonomy") + render(
        "taxonomy.md.j2", tree=io_tree(models), total=len(models))


def site_pages(models: list[ModelRecord], paths: dict[str, str],
               site: SiteContext = SiteContext()) -> dict[str, str]:
    """Every generated page: site path (relative to the docs folder) -> Markdown source."""
    pages = {f"models/{m.id}.md": model_page(m, paths[m.id], site) for m in models}
    pages["models/index.md"] = models_index(models)
    pages["taxonomy/index.md"] = taxonomy_page(models)
    from .results import results_pages  # benchmarks/ and benchmarks/<key>/ (builder/results.py)
    pages.update(results_pages(models))
    return pages
