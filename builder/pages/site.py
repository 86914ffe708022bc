"""The site assembly: every generated file of the site, from the loaded catalogue.

The top of the page code and the only module that knows every page family; the MkDocs glue
(builder/mkdocs_glue/hooks.py) calls `site_pages` once per build.
"""
from __future__ import annotations

from schema import Catalogue

from builder.data.api import api_files
from builder.data.exports import export_results, models_json
from builder.data.scores import all_boards, standings_of

from .catalogue import catalogue_pages, model_links
from .feeds import feed_files
from .kit import SiteContext
from .model import model_page, models_index, taxonomy_page
from .redirects import redirect_pages
from .results import model_results_pages, results_pages
from .views import view_pages  # timeline, trends, compare, home
from .whats_new import whats_new_page


def site_pages(catalogue: Catalogue, site: SiteContext = SiteContext()) -> dict[str, str]:
    """Every generated file: site path (relative to the docs folder) -> its text. `.md` files
    become pages; any other file (JSON, XML, CSV) is published as it is."""
    models = catalogue.models
    boards = all_boards(models)  # per benchmark and protocol: leaderboards and model ranks
    standings = standings_of(boards)
    pages = {f"models/{m.id}.md": model_page(
        m, catalogue.paths[m.id], site, model_links(m, catalogue.components, catalogue.datasets),
        standings.get(m.id, [])) for m in models}
    pages.update(catalogue_pages(catalogue, boards))
    pages["models/index.md"] = models_index(models, site.activity)
    pages["taxonomy/index.md"] = taxonomy_page(models)
    pages["api/models.json"] = models_json(models)
    pages["whats-new/index.md"] = whats_new_page(models, site.activity)
    pages.update(view_pages(models))
    pages.update(feed_files(models, site.base_url))  # feed.xml, feeds/<category>.xml
    pages.update(results_pages(models, catalogue.benchmarks, boards))  # benchmarks/
    pages["api/results.json"] = export_results(models, "json")
    pages["api/results.csv"] = export_results(models, "csv")
    pages.update(model_results_pages(models, standings))  # models/<id>/results/ for long score lists
    pages.update(api_files(catalogue, site.arxiv, site.built_at, boards))  # api/v1/
    pages.update(redirect_pages(models))  # models/<former id>/ -> models/<id>/
    return pages
