"""site/overrides/partials/nav.html renders the nav list once per folder for pages outside
the nav; every page must come out as with Material's own partial (whitespace aside)."""
from __future__ import annotations

import re
import sys
from pathlib import Path

from conftest import copy_project, run


def _normalised(path: Path) -> str:
    return re.sub(r"\s+", " ", path.read_text(encoding="utf-8"))


def test_every_page_is_as_materials_own_nav_renders_it(built_site: Path, tmp_path: Path):
    project = copy_project(tmp_path / "project")
    (project / "site" / "overrides" / "partials" / "nav.html").unlink()  # Material's own
    out = tmp_path / "out"
    proc = run(sys.executable, "-m", "mkdocs", "build", "--strict", "--site-dir", str(out), cwd=project)
    assert proc.returncode == 0, proc.stderr
    pages = sorted(p.relative_to(out) for p in out.rglob("*.html"))
    assert len(pages) > 500 and Path("models/llava/index.html") in pages
    differ = [str(p) for p in pages if _normalised(out / p) != _normalised(built_site / p)]
    assert differ == []
