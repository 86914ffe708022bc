"""The overview pages of issue 5: timeline/, trends/, compare/ and the home page.

Each is a pure function of the records returning a page source; `view_pages` is the one
entry point builder.pages.site.site_pages calls.
"""
from __future__ import annotations

from markupsafe import Markup

from schema import ModelRecord
from schema import vocabularies as vocab

from builder.data.families import rules
from builder.data.trees import component_tree, io_category, io_groups, io_text

from . import charts
from .compare import compare_data, json_for_script
from .kit import front_matter, render

NEWEST = 8


WIDE = ("navigation", "toc")  # Material: hide both sidebars, for the wide views


def timeline_page(models: list[ModelRecord]) -> str:
    groups = [(io_text(cat), members) for cat, members in io_groups(models)]
    description = f"{len(models)} MM-LLMs by release date, in one lane per I→O category."
    return front_matter("Timeline", description, hide=WIDE) + render(
        "timeline.md.j2", svg=Markup(charts.timeline_svg(models)), groups=groups, total=len(models))


OPEN_LABELS = {True: "Open weights", False: "Closed weights", None: charts.NOT_REPORTED}


def trend_charts(models: list[ModelRecord]) -> tuple[str, list[dict]]:
    unit = charts.period_unit(models)
    periods = charts.period_range(models, unit)
    word = "quarter" if unit == "quarter" else "half-year"
    out = []
    for kind, ident, heading, what in [
            ("projector", "projector", "Input projector types", "main input-projector type"),
            ("encoder", "encoder", "Modality encoder families", "encoder family"),
            ("llm", "llm", "LLM families", "LLM family")]:
        series = charts.category_series(models, periods, unit,
                                        lambda m, k=kind: charts.stage_labels(m, k))
        desc = (f"For each {word}, the share of models using each {what}; a model using two "
                f"counts under both. Bars are scaled to 100%.")
        out.append({
            "id": ident, "heading": heading, "intro": desc,
            "svg": Markup(charts.stacked_bars_svg(f"mm-trend-{ident}", f"{heading} per {word}",
                                                  desc, periods, series)),
            "table": Markup(charts.series_table(f"Models per {word} by {what}", periods, series)),
        })
    out.append({
        "id": "llm-size", "heading": "LLM size over time",
        "intro": ("Every LLM size a record lists (a model released in several sizes gives several "
                  "points), on a logarithmic scale. Hover a point for the model."),
        "svg": Markup(charts.size_scatter_svg(models)),
        "table": Markup(charts.size_table(models, periods, unit)),
    })
    counts = {v: [0] * len(periods) for v in OPEN_LABELS}
    index = {p: i for i, p in enumerate(periods)}
    for m in models:
        counts[m.open_weights][index[charts.period_of(m.date, unit)]] += 1
    series = [charts.Series(label, counts[v], cls)
              for (v, label), cls in zip(OPEN_LABELS.items(), ("mm-c1", "mm-c2", "mm-c-na"))
              if any(counts[v])]
    desc = f"Models released per {word}, by whether their weights are published."
    out.append({
        "id": "open-weights", "heading": "Open vs closed weights", "intro": desc,
        "svg": Markup(charts.stacked_bars_svg("mm-trend-open", f"Open vs closed weights per {word}",
                                              desc, periods, series, share=False)),
        "table": Markup(charts.series_table(f"Models per {word} by weights", periods, series,
                                            share=False)),
    })
    return word, out


def trends_page(models: list[ModelRecord]) -> str:
    word, items = trend_charts(models)
    description = ("How the component choices of MM-LLMs, their LLM sizes and open weights "
                   "shift over time, with each chart's numbers.")
    return front_matter("Trends", description, hide=("toc",)) + render("trends.md.j2", charts=items, word=word,
                                                 total=len(models))


def compare_page(models: list[ModelRecord]) -> str:
    description = ("Two to four MM-LLMs side by side: their five components, I→O category, "
                   "data scale and scores.")
    return front_matter("Compare", description, hide=WIDE) + render(
        "compare.md.j2", data=Markup(json_for_script(compare_data(models))),
        models=sorted(models, key=lambda m: (m.name.lower(), m.id)))


def home_page(models: list[ModelRecord]) -> str:
    newest = sorted(models, key=lambda m: (m.date, m.name.lower()), reverse=True)[:NEWEST]
    # named groups only: not "None"/"Not reported", nor the catch-all of unmatched names
    catch_all = {rules()[k].fallback for k in ("encoder", "llm")} | {vocab.projector_types()["other"].label}
    families = {kind: [n for n in component_tree(models, kind)
                       if n.tag != "absent" and n.label not in catch_all]
                for kind in ("encoder", "projector", "llm")}
    stats = {
        "models": len(models),
        "categories": len(io_groups(models)),
        "encoders": len(families["encoder"]),
        "projectors": len(families["projector"]),
        "llms": len(families["llm"]),
        "results": sum(len(m.results) for m in models),
        "first": min((m.date for m in models), default=None),
        "last": max((m.date for m in models), default=None),
    }
    top_llms = families["llm"][:5]
    description = ("The open, validated knowledge base of multimodal large language models: how "
                   "every model is built, how it scores, and where each fact comes from.")
    return front_matter("MM-LLMs Atlas", description) + render(
        "home.md.j2", io_text=lambda m: io_text(io_category(m)), stats=stats, newest=newest, top_llms=top_llms,
        top_encoders=families["encoder"][:5], benchmarks=len(vocab.benchmarks()))


def view_pages(models: list[ModelRecord]) -> dict[str, str]:
    return {
        "index.md": home_page(models),
        "timeline/index.md": timeline_page(models),
        "trends/index.md": trends_page(models),
        "compare/index.md": compare_page(models),
    }
