"""Pages of the record kinds beside the models: datasets, benchmarks, surveys, component
entries, their index tables, and the coverage report. Pure functions of validated records."""
from __future__ import annotations

from dataclasses import dataclass, field

from schema.components import KIND_FILES, KIND_LABELS, Registry, resolved_components, uses

from markupsafe import Markup

from schema.kinds import NOT_REPORTED

from builder.data.api import benchmark_page_url
from builder.data.scores import Board, all_boards
from builder.data.stats import catalogue_stats

from .kit import front_matter, render
from .leaderboard import leaderboard_html
from .redirects import benchmark_redirect

KIND_TITLES = {"encoder": "Modality encoders", "llm": "LLM backbones",
               "generator": "Modality generators"}
STAGE_LABELS = {"modality_encoder": "Modality encoder", "llm_backbone": "LLM backbone",
                "modality_generator": "Modality generator"}


@dataclass
class ComponentLink:
    label: str
    kind: str
    name: str
    entry: object


@dataclass
class ModelLinks:
    components: list[ComponentLink] = field(default_factory=list)
    datasets: list = field(default_factory=list)

    def __bool__(self) -> bool:
        return bool(self.components or self.datasets)


def model_links(model, registry: Registry, datasets=()) -> ModelLinks:
    """What a model's page links to: its registry entries and the datasets of its paper (its
    benchmarks are linked from its results)."""
    links = ModelLinks()
    for stage, kind, item, entry in resolved_components(model, registry):
        links.components.append(ComponentLink(STAGE_LABELS[stage], kind, item.name, entry))
    links.datasets = [d for d in datasets if model.id in d.models]
    return links


def dataset_page(dataset, models_by_id: dict) -> str:
    models = [models_by_id[i] for i in dataset.models if i in models_by_id]
    description = f"Multimodal instruction-tuning dataset ({'/'.join(dataset.type)}, {dataset.io})"
    description += f", released {dataset.date.isoformat()}"
    if dataset.organizations:
        description += " by " + ", ".join(dataset.organizations)
    description += "." if dataset.instances == NOT_REPORTED else f"; {dataset.instances} instances."
    return front_matter(dataset.name, description) + render("dataset.md.j2", d=dataset, models=models)


def datasets_index(datasets) -> str:
    ordered = sorted(datasets, key=lambda d: (d.date, d.name.lower()))
    description = (f"{len(datasets)} datasets for multimodal instruction tuning (SFT) and "
                   "alignment (RLHF), as the survey's tracker lists them.")
    return front_matter("Instruction-tuning datasets", description) + render(
        "datasets_index.md.j2", datasets=ordered)


def benchmark_page(benchmark, board: str | None = None) -> str:
    """A benchmark's record, then (for benchmarks that scores use) its leaderboard."""
    # a leaderboard is a wide table: give it the table-of-contents column too
    description = f"Benchmark {benchmark.key}" + (f": {benchmark.task}" if benchmark.task else "")
    if benchmark.metric:
        description += f"; metric: {benchmark.metric}"
    description += ", with the leaderboard of its reported scores." if board else "."
    return front_matter(benchmark.name, description, hide=("navigation", "toc") if board else ()) + render(
        "benchmark.md.j2", b=benchmark,
                                                 board=Markup(board) if board else None)


def component_page(kind: str, entry, models) -> str:
    ordered = sorted(models, key=lambda m: (m.date, m.name.lower()))
    description = (f"Component ({KIND_LABELS[kind]}) of the {entry.family} family, named by "
                   f"{len(models)} model record(s).")
    if entry.aliases:
        description += " Also written " + ", ".join(entry.aliases) + "."
    if entry.description:
        description += " " + entry.description
    return front_matter(entry.name, description) + render(
        "component.md.j2", e=entry, models=ordered, kind_label=KIND_TITLES[kind])


def components_index(registry: Registry, used: dict, kind: str | None = None) -> str:
    if kind is None:
        kinds = [(k, KIND_TITLES[k], registry.entries(k)) for k in KIND_FILES]
        description = ("Every modality encoder, LLM and modality generator the model records "
                       "name, by family, with the models that use each.")
        return front_matter("Components", description) + render(
            "components_index.md.j2", title="Components", kinds=kinds, entries=[])
    entries = sorted(registry.entries(kind), key=lambda e: (e.family.lower(), e.name.lower()))
    rows = [(e, len(used.get((kind, e.id), []))) for e in entries]
    description = (f"Every {KIND_LABELS[kind]} the model records name, by family, "
                   "with how many models use each.")
    return front_matter(KIND_TITLES[kind], description) + render(
        "components_index.md.j2", title=KIND_TITLES[kind], kinds=[], entries=rows)


def surveys_index(surveys) -> str:
    ordered = sorted(surveys, key=lambda s: (s.date, s.name.lower()))
    description = f"{len(surveys)} surveys the MM-LLMs survey lists as related work."
    return front_matter("Related surveys", description) + render("surveys_index.md.j2", surveys=ordered)


def coverage_page(stats: dict) -> str:
    description = ("How complete the catalogue is: records per kind, and per field how many "
                   "records lack it or leave it unknown.")
    return front_matter("Coverage", description) + render("coverage.md.j2", stats=stats)


def catalogue_pages(cat, boards: dict[str, list[Board]] | None = None) -> dict[str, str]:
    """Every page of the other kinds: site path -> Markdown source. `boards`: the leaderboards
    (builder.data.scores.all_boards), when the caller has them already."""
    pages: dict[str, str] = {}
    models_by_id = {m.id: m for m in cat.models}
    for d in cat.datasets:
        pages[f"datasets/{d.id}.md"] = dataset_page(d, models_by_id)
    pages["datasets/index.md"] = datasets_index(cat.datasets)
    boards = all_boards(cat.models) if boards is None else boards
    for b in cat.benchmarks:  # benchmarks/index.md is the comparison table (builder.pages.results)
        board = leaderboard_html(boards[b.key]) if b.key in boards else None
        # lower case, so a typed address works; the key's own spelling redirects there
        pages[benchmark_page_url(b.key).rstrip("/") + ".md"] = benchmark_page(b, board)
        if b.key != b.key.lower():
            pages[f"benchmarks/{b.key}/index.html"] = benchmark_redirect(b)
    pages["surveys/index.md"] = surveys_index(cat.surveys)
    reg = cat.components
    used = uses(cat.models, reg)
    for kind in KIND_FILES:
        for e in reg.entries(kind):
            pages[f"components/{kind}/{e.id}.md"] = component_page(kind, e, used.get((kind, e.id), []))
        pages[f"components/{kind}/index.md"] = components_index(reg, used, kind)
    pages["components/index.md"] = components_index(reg, used)
    pages["coverage/index.md"] = coverage_page(catalogue_stats(cat))
    return pages


__all__ = ["KIND_LABELS", "catalogue_pages", "model_links"]
