"""Golden tests: trees, timeline, trends, compare data and home page from fixed records.

Regenerate the expected files after an intended change with
    UPDATE_GOLDEN=1 python -m pytest tests/test_views_golden.py
and review the diff like any other change.
"""
from __future__ import annotations

import os
from pathlib import Path

import pytest

from builder.pages import charts, views
from builder.pages.compare import compare_data, json_for_script
from builder.pages.model import taxonomy_page
from views_data import fixture_models

GOLDEN = Path(__file__).parent / "golden" / "views"
UPDATE = os.environ.get("UPDATE_GOLDEN") == "1"


def check(name: str, actual: str) -> None:
    path = GOLDEN / name
    if UPDATE:
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(actual, encoding="utf-8")
        return
    assert path.exists(), f"missing {path}; run with UPDATE_GOLDEN=1 to create it"
    expected = path.read_text(encoding="utf-8")
    assert actual == expected, f"{name} differs from {path}; if intended, rerun with UPDATE_GOLDEN=1"


CASES = {
    "taxonomy.md": lambda ms: taxonomy_page(ms),
    "timeline.svg": lambda ms: charts.timeline_svg(ms),
    "timeline.md": lambda ms: views.timeline_page(ms),
    "trends.md": lambda ms: views.trends_page(ms),
    "llm-size.svg": lambda ms: charts.size_scatter_svg(ms),
    "compare.json": lambda ms: json_for_script(compare_data(ms)) + "\n",
    "home.md": lambda ms: views.home_page(ms),
}


@pytest.mark.parametrize("name", sorted(CASES))
def test_golden(name):
    check(name, CASES[name](fixture_models()))
