"""Code repository URLs -> repository names. Pure text parsing, shared by the site (activity)
and by `mmllm sync` (which asks GitHub about each repository)."""
from __future__ import annotations

import re

_REPO_URL = re.compile(r"^https?://(?:www\.)?github\.com/(?P<owner>[A-Za-z0-9-]{1,39})/"
                       r"(?P<repo>[A-Za-z0-9._-]{1,100}?)(?:\.git)?(?:[/?#].*)?$")


def repo_of(url: str | None) -> str | None:
    """'https://github.com/salesforce/LAVIS/tree/main/projects/blip2' -> 'salesforce/LAVIS'."""
    if not url:
        return None
    match = _REPO_URL.match(url)
    if not match or match["repo"] in {".", ".."}:
        return None
    return f"{match['owner']}/{match['repo']}"
