"""The rendering kit every page family uses: the template environment, `render`, front
matter, the escaping filters, and the small labels templates print (I->O, components).

Pages are Markdown with HTML blocks, made by plain functions: nothing here touches MkDocs or
the file system beyond reading templates, so every page can be checked against an
expected-output file. Templates autoescape, and the `md` filter also escapes Markdown
punctuation, so record text is always shown as text.
"""
from __future__ import annotations

import json
import re
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path

import jinja2
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
# Python-Markdown's backslash escapes: a backslash before any other character (such as '|')
# would be shown; '<' and '>' are HTML-escaped first
_MD_SPECIAL = re.compile(r"([\\`*_{}\[\]()#+\-.!])")


def md(text: object) -> Markup:
    """Escape for HTML, then for Markdown, so text renders literally in a Markdown line."""
    return Markup(_MD_SPECIAL.sub(r"\\\1", str(escape(str(text)))))


def front_matter(title: str, description: str | None = None, hide: tuple[str, ...] = (),
                 search_boost: float | None = None) -> str:
    """A generated page's front matter. Material's search plugin never parses a generated
    page; one with a `description` is found by its title and that description instead
    (builder/mkdocs_glue/search.py), which is also its <meta name="description">.
    `search_boost` multiplies the page's search score (Material's `search.boost`)."""
    # HTML-escaped because MkDocs themes print titles and descriptions without autoescaping.
    meta: dict = {"title": str(escape(title))}
    if description:
        meta["description"] = str(escape(description))
    if hide:  # Material: hide the navigation or table-of-contents sidebar on wide pages
        meta["hide"] = list(hide)
    meta["search"] = {"exclude": True, **({"boost": search_boost} if search_boost else {})}
    return "---\n" + "".join(f"{k}: {_yaml_value(v)}\n" for k, v in meta.items()) + "---\n"


# characters YAML does not allow as they are, or reads as line breaks: written as \u escapes
_NOT_YAML_PRINTABLE = re.compile(r"[^\t\n\r\x20-\x7e\xa0-\ud7ff\ue000-\ufffd\U00010000-\U0010ffff]|[\u2028\u2029]")


def _yaml_value(value) -> str:
    """A value as JSON, which YAML reads back the same (a fifth of the time of yaml.dump)."""
    text = json.dumps(value, ensure_ascii=False)
    return _NOT_YAML_PRINTABLE.sub(lambda m: f"\\u{ord(m.group()):04x}", text)


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
                       licenses=vocab.licenses(),
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


@dataclass(frozen=True)
class SiteContext:
    """What the site assembly knows beyond the records (from MkDocs' config and `mmllm sync`)."""
    edit_base: str | None = None  # e.g. https://github.com/ORG/REPO/edit/main/
    # model id -> repository activity from `mmllm sync` (builder.data.activity); empty = none shown
    activity: dict = field(default_factory=dict)
    base_url: str | None = None  # the site's public URL, for absolute links in feeds
    arxiv: dict = field(default_factory=dict)  # arXiv id -> metadata from `mmllm sync` (BibTeX authors)
    built_at: str | None = None  # builder.data.api.build_time(), for api/v1/index.json
