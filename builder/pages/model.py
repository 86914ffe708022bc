"""The model pages: one page per model record, the models index and the taxonomy page."""
from __future__ import annotations

from schema import ModelRecord

from builder.data.bibtex import bibtex_entry
from builder.data.scores import best_per_benchmark
from builder.data.trees import taxonomy_context

from .leaderboard import rank_lines
from .kit import STAGES, SiteContext, component_text, front_matter, io_label, render
from .results import INLINE_RESULTS_MAX


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


# the search score multiplier of model pages (other pages: 1)
MODEL_SEARCH_BOOST = 10


def model_page(model: ModelRecord, record_path: str, site: SiteContext = SiteContext(),
               links=None, standings: list | None = None) -> str:
    """`standings`: the model's (board, standing) pairs (builder.data.scores.standings_of),
    for its ranks."""
    edit_url = f"{site.edit_base}{record_path}" if site.edit_base else None
    # a model is what a search for its name is for: above components and datasets of that name
    return front_matter(model.name, model_description(model), search_boost=MODEL_SEARCH_BOOST) + render(
        "model.md.j2", m=model, record_path=record_path, edit_url=edit_url, links=links,
        act=site.activity.get(model.id), inline_results_max=INLINE_RESULTS_MAX,
        best_per_benchmark=best_per_benchmark, bibtex=bibtex_entry(model, site.arxiv),
        ranks=rank_lines(model, standings or []))


def models_index(models: list[ModelRecord], activity: dict | None = None) -> str:
    ordered = sorted(models, key=lambda m: (m.date, m.name.lower()), reverse=True)
    description = (f"All {len(models)} multimodal LLMs of the catalogue, newest first, with their "
                   "I→O category and five components.")
    return front_matter("Models", description, hide=("toc",)) + render("models_index.md.j2", models=ordered,
                                                          activity=activity or {})


def taxonomy_page(models: list[ModelRecord]) -> str:
    description = ("MM-LLMs grouped by I→O category, functional and design division, and by "
                   "modality encoder, input projector, LLM backbone and modality generator.")
    return front_matter("Taxonomy", description) + render("taxonomy.md.j2", **taxonomy_context(models))
