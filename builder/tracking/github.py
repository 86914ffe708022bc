"""GitHub repository facts from the REST API (GET /repos/{owner}/{repo})."""
from __future__ import annotations

import json
from dataclasses import dataclass

from builder.data.repos import repo_of  # noqa: F401  (sync asks github.repo_of)

from .net import Fetcher, FetchError
from .settings import Settings



class MalformedAnswer(ValueError):
    """The answer is not the JSON shape of a GitHub repository."""


@dataclass
class RepoFacts:
    status: str  # "ok", "gone" (404/451) or "moved" (renamed: full_name differs)
    full_name: str | None = None
    stars: int | None = None
    pushed_at: str | None = None
    license: str | None = None  # SPDX id, or GitHub's NOASSERTION
    archived: bool | None = None
    html_url: str | None = None


def parse_repo(text: str) -> RepoFacts:
    try:
        data = json.loads(text)
    except ValueError as exc:
        raise MalformedAnswer(f"not JSON ({exc})") from None
    if not isinstance(data, dict) or not isinstance(data.get("full_name"), str):
        raise MalformedAnswer("not a repository object (no full_name)")
    stars = data.get("stargazers_count")
    if not isinstance(stars, int) or isinstance(stars, bool):
        raise MalformedAnswer("stargazers_count is not a number")
    lic = data.get("license")
    return RepoFacts(status="ok", full_name=data["full_name"], stars=stars,
                     pushed_at=data.get("pushed_at") if isinstance(data.get("pushed_at"), str) else None,
                     license=lic.get("spdx_id") if isinstance(lic, dict) else None,
                     archived=bool(data.get("archived", False)),
                     html_url=data.get("html_url") if isinstance(data.get("html_url"), str) else None)


def fetch_repo(fetcher: Fetcher, repo: str, token: str | None = None,
               api: str = Settings.github_api) -> RepoFacts:
    """Facts of one repository; the token (optional) is sent to the GitHub API only."""
    response = fetcher.get(f"{api}/repos/{repo}",
                           headers={"Accept": "application/vnd.github+json",
                                    "X-GitHub-Api-Version": "2022-11-28", **auth_headers(token)})
    if response.status in (404, 410, 451):
        return RepoFacts(status="gone")
    if response.status != 200:
        raise FetchError(response.url, f"HTTP {response.status}")
    facts = parse_repo(response.text)
    if facts.full_name and facts.full_name.lower() != repo.lower():
        facts.status = "moved"
    return facts


def auth_headers(token: str | None) -> dict[str, str]:
    return {"Authorization": f"Bearer {token}"} if token else {}
