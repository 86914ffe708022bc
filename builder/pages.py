"""Validated records -> page sources (Markdown with HTML blocks), as plain functions.

Nothing here touches MkDocs or the file system beyond reading templates, so every page can be
checked against an expected-output file. Templates autoescape, and the `md` filter also escapes
Markdown punctuation, so record text is always shown as text.
"""
from __future__ import annotations

import json
import re
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path

import jinja2
from markupsafe import Markup, escape

from builder.bibtex import bibtex_entry
from builder.exports import models_json
from schema import Catalogue, ModelRecord, io_notation
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


def front_matter(title: str, description: str | None = None, hide: tuple[str, ...] = ()) -> str:
    """A generated page's front matter. Material's search plugin never parses a generated
    page; one with a `description` is found by its title and that description instead
    (builder/search.py), which is also its <meta name="description">."""
    # HTML-escaped because MkDocs themes print titles and descriptions without autoescaping.
    meta: dict = {"title": str(escape(title))}
    if description:
        meta["description"] = str(escape(description))
    if hide:  # Material: hide the navigation or table-of-contents sidebar on wide pages
        meta["hide"] = list(hide)
    meta["search"] = {"exclude": True}
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
    from .results import INLINE_RESULTS_MAX, results_summary
    env.globals.update(inline_results_max=INLINE_RESULTS_MAX, results_summary=results_summary)
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


def model_description(m: ModelRecord) -> str:
    """What a model is and how it is built, in a few plain sentences from its record."""
    kind = " and ".join(m.functional)
    design = "" if m.design == "unknown" else f", {m.design}"
    text = f"{io_label(m)} MM-LLM ({kind}{design}), released {m.date.isoformat()}"
    if m.organizations:
        text += " by " + ", ".join(m.organizations)
    text += "."
    if m.architecture:
        parts = []
        for stage, label in STAGES:
            value = component_text(m, stage)
            if value != "none":
                parts.append(f"{label}: {'not reported' if value == 'unknown' else value}")
        text += " " + ". ".join(parts) + "."
    if m.tools:
        text += " Tools: " + ", ".join(t.name for t in m.tools) + "."
    if m.aliases:
        text += " Also known as " + ", ".join(m.aliases) + "."
    if m.paper and m.paper.title:
        text += f" Paper: {m.paper.title}."
    return text


# -- pages ---------------------------------------------------------------------------------

@dataclass(frozen=True)
class SiteContext:
    edit_base: str | None = None  # e.g. https://github.com/ORG/REPO/edit/main/
    # model id -> repository activity from `mmllm sync` (builder.activity); empty = none shown
    activity: dict = field(default_factory=dict)
    base_url: str | None = None  # the site's public URL, for absolute links in feeds
    arxiv: dict = field(default_factory=dict)  # arXiv id -> metadata from `mmllm sync` (BibTeX authors)
    built_at: str | None = None  # builder.api.build_time(), for api/v1/index.json


def model_page(model: ModelRecord, record_path: str, site: SiteContext = SiteContext(),
               links=None) -> str:
    edit_url = f"{site.edit_base}{record_path}" if site.edit_base else None
    return front_matter(model.name, model_description(model)) + render(
        "model.md.j2", m=model, record_path=record_path, edit_url=edit_url, links=links,
        act=site.activity.get(model.id), bibtex=bibtex_entry(model, site.arxiv))


def models_index(models: list[ModelRecord], activity: dict | None = None) -> str:
    ordered = sorted(models, key=lambda m: (m.date, m.name.lower()), reverse=True)
    description = (f"All {len(models)} multimodal LLMs of the catalogue, newest first, with their "
                   "I→O category and five components.")
    return front_matter("Models", description, hide=("toc",)) + render("models_index.md.j2", models=ordered,
                                                          activity=activity or {})


def taxonomy_page(models: list[ModelRecord]) -> str:
    from .trees import taxonomy_context
    description = ("MM-LLMs grouped by I→O category, functional and design division, and by "
                   "modality encoder, input projector, LLM backbone and modality generator.")
    return front_matter("Taxonomy", description) + render("taxonomy.md.j2", **taxonomy_context(models))


def site_pages(catalogue: Catalogue, site: SiteContext = SiteContext()) -> dict[str, str]:
    """Every generated file: site path (relative to the docs folder) -> its text. `.md` files
    become pages; any other file (JSON, XML) is published as it is."""
    from .api import api_files
    from .catalogue_pages import catalogue_pages, model_links
    from .feeds import feed_files
    from .redirects import redirect_pages
    from .results import model_results_pages, results_files, results_pages
    from .tracking_pages import whats_new_page
    from .views import view_pages  # timeline, trends, compare, home

    models = catalogue.models
    pages = {f"models/{m.id}.md": model_page(
        m, catalogue.paths[m.id], site, model_links(m, catalogue.components, catalogue.datasets))
        for m in models}
    pages.update(catalogue_pages(catalogue))
    pages["models/index.md"] = models_index(models, site.activity)
    pages["taxonomy/index.md"] = taxonomy_page(models)
    pages["api/models.json"] = models_json(models)
    pages["whats-new/index.md"] = whats_new_page(models, site.activity)
    pages.update(view_pages(models))
    pages.update(feed_files(models, site.base_url))  # feed.xml, feeds/<category>.xml
    pages.update(results_pages(models, catalogue.benchmarks))  # benchmarks/
    pages.update(results_files(models))  # api/results.json, api/results.csv
    pages.update(model_results_pages(models))  # models/<id>/results/ for long score lists
    pages.update(api_files(catalogue, site.arxiv, site.built_at))  # api/v1/
    pages.update(redirect_pages(models))  # models/<former id>/ -> models/<id>/
    return pages
