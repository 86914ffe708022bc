"""Shared helpers of the benchmark-results tests (not a test module)."""
from __future__ import annotations

import csv
import importlib.util
import shutil
import sys
from functools import cache
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parents[1]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))


def load_script(name: str):
    spec = importlib.util.spec_from_file_location(name, ROOT / "scripts" / f"{name}.py")
    module = importlib.util.module_from_spec(spec)
    sys.modules[name] = module  # dataclasses look their module up
    spec.loader.exec_module(module)
    return module


@cache
def importer():
    return load_script("import_scores")


def reference_csv() -> Path:
    return importer().DEFAULT_CSV


def survey_rows_csv() -> list[dict]:
    with open(reference_csv(), encoding="utf-8", newline="") as fh:
        return [r for r in csv.DictReader(fh) if r["source_kind"] == "survey-table"]


def merged_models(tmp: Path) -> Path:
    """models/ of this branch plus a record for every survey-tracker model not yet in it,
    made by scripts/import_site_posts.py from the reference list: the catalogue as it will be
    after the catalogue branch is merged (records from sourced facts only)."""
    dest = tmp / "models"
    shutil.copytree(ROOT / "models", dest)
    posts_mod = load_script("import_site_posts")
    posts = yaml.safe_load((reference_csv().parent / "site_posts.yaml").read_text(encoding="utf-8"))
    have = {p.stem for p in dest.glob("*.yaml")}
    for post in posts:
        if post["kind"] != "model":
            continue
        rec = posts_mod.record(post)
        if rec["id"] not in have:
            (dest / f"{rec['id']}.yaml").write_text(posts_mod.dump(rec), encoding="utf-8")
    return dest
