"""Pages that keep old addresses working: `models/<former id>/index.html` sends the reader on to
`models/<id>/`, and `benchmarks/<Key>/` (the key's own case) to `benchmarks/<key>/` (lower case). Plain HTML (a meta refresh and a link, no script), with relative URLs so the
site works under any path."""
from __future__ import annotations

import json

from markupsafe import escape

from schema import ModelRecord

from builder.data.api import benchmark_page_url

_PAGE = """<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<title>{title} (moved)</title>
<meta http-equiv="refresh" content="0; url={target}">
<meta name="robots" content="noindex">
<link rel="canonical" href="{target}">
</head>
<body>
<p>The page of {title} has moved to <a href="{target}">{target}</a>.</p>
</body>
</html>
"""


def redirect_page(model: ModelRecord) -> str:
    # from models/<former>/ the record's page is one folder up, then down
    return _PAGE.format(title=escape(model.name), target=f"../{model.id}/")


def benchmark_redirect(benchmark) -> str:
    """benchmarks/<Key>/ -> benchmarks/<key>/; the query and fragment are kept by a script
    where it runs (a protocol or a highlighted model chosen in an old link)."""
    target = "../" + benchmark_page_url(benchmark.key).removeprefix("benchmarks/")
    return _PAGE.format(title=escape(benchmark.name), target=target).replace(
        "</body>", f"<script>location.replace({json.dumps(target)} + location.search + location.hash)</script>\n</body>")


def redirect_pages(models: list[ModelRecord]) -> dict[str, str]:
    """models/<former id>/index.html for every former id of every record."""
    return {f"models/{former}/index.html": redirect_page(m) for m in models for former in m.former_ids}
