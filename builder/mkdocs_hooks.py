"""Thin MkDocs glue (loaded through `hooks:` in mkdocs.yml).

All knowledge of records and pages lives in `schema` and `builder.pages`; this file only
hands MkDocs the generated pages, in memory. Nothing is written into the docs folder, so
`mkdocs serve` does not rebuild in a loop (mkdocs/mkdocs#2285), and `watch:` in mkdocs.yml
rebuilds when a record changes.
"""
from __future__ import annotations

from pathlib import Path
from urllib.parse import urljoin

from mkdocs.exceptions import PluginError
from mkdocs.structure.files import File

from builder.pages import SiteContext, site_pages
from builder.results import results_files
from schema import load_catalogue

_state: dict = {}


def on_config(config):
    root = Path(config.config_file_path).resolve().parent
    catalogue = load_catalogue(root)
    if not catalogue.ok:
        lines = [str(p) for p in catalogue.problems]
        raise PluginError("invalid records:\n" + "\n".join(lines) +
                          f"\n{len(lines)} problem(s); run `mmllm validate` for the same report")
    edit_base = None
    if config.repo_url and config.edit_uri:
        # edit_uri points at the docs folder; records sit one level up, beside it
        edit_base = urljoin(urljoin(config.repo_url.rstrip("/") + "/", config.edit_uri), "../")
    _state.update(catalogue=catalogue, site=SiteContext(edit_base=edit_base))
    return config


def on_files(files, config):
    catalogue, site = _state["catalogue"], _state["site"]
    for path, content in site_pages(catalogue.models, catalogue.paths, site).items():
        if files.get_file_from_path(path) is not None:
            raise PluginError(f"site/{path} is written by hand but the builder generates it; "
                              "remove the hand-written file")
        generated = File.generated(config, path, content=content)
        model_id = path.removeprefix("models/").removesuffix(".md")
        record = catalogue.paths.get(model_id)
        # MkDocs resolves edit links against edit_uri (the docs folder); records live beside it
        generated.edit_uri = f"../{record}" if record else None
        files.append(generated)
    for path, content in results_files(catalogue.models).items():  # api/results.{json,csv}
        files.append(File.generated(config, path, content=content))
    return files
