"""The GitHub Actions workflows: well-formed, pinned actions, and `mmllm` commands that parse."""
from __future__ import annotations

import re
import shlex
from pathlib import Path

import pytest
import yaml

from builder import cli
from builder.tracking import cli as tracking_cli

WORKFLOWS = Path(__file__).resolve().parents[1] / ".github" / "workflows"


def load(name: str) -> dict:
    return yaml.safe_load((WORKFLOWS / name).read_text(encoding="utf-8"))


def steps(doc: dict) -> list[dict]:
    return [s for job in doc["jobs"].values() for s in job.get("steps", [])]


def test_the_three_workflows_exist_with_their_triggers():
    ci, pages, track = load("ci.yml"), load("pages.yml"), load("track.yml")
    # PyYAML reads the key `on` as True (YAML 1.1)
    assert "pull_request" in ci[True]
    assert pages[True]["push"]["branches"] == ["main"]
    assert pages["permissions"] == {"contents": "read", "pages": "write", "id-token": "write"}
    assert track[True]["schedule"][0]["cron"].endswith("* * 1")
    assert any(s.get("uses", "").startswith("peter-evans/create-pull-request@") for s in steps(track))
    assert any(s.get("uses", "").startswith("actions/deploy-pages@") for s in steps(pages))


@pytest.mark.parametrize("name", ["ci.yml", "pages.yml", "track.yml"])
def test_actions_are_well_known_and_pinned_by_major_version(name):
    for step in steps(load(name)):
        if "uses" in step:
            assert re.match(r"^(actions|peter-evans)/[a-z-]+@v\d+$", step["uses"]), step["uses"]


def commands() -> list[str]:
    out = []
    for path in sorted(WORKFLOWS.glob("*.yml")):
        for step in steps(yaml.safe_load(path.read_text(encoding="utf-8"))):
            for line in str(step.get("run", "")).splitlines():
                if line.strip().startswith("mmllm "):
                    out.append(line.strip())
    return out


def test_every_mmllm_command_of_the_workflows_parses(monkeypatch):
    called = []
    for module in (cli, tracking_cli):
        for name in dir(module):
            if name.startswith("cmd_"):
                monkeypatch.setattr(module, name, lambda args, name=name: called.append(name) or 0)
    lines = commands()
    assert {"mmllm validate", "mmllm schema --check", "mmllm build --output public"} <= set(lines)
    assert any(line.startswith("mmllm sync") for line in lines)
    assert any(line.startswith("mmllm discover") for line in lines)
    for line in lines:
        assert cli.main(shlex.split(line)[1:]) == 0, line
    assert len(called) == len(lines)


def test_pages_build_sets_what_mkdocs_yml_reads_from_the_environment():
    """site_url, repo_url and edit_uri come from the repository the site is published from
    (a GitHub Pages project path), so sitemap, feeds, 404 page and edit links point there."""
    config = (WORKFLOWS.parents[1] / "mkdocs.yml").read_text(encoding="utf-8")
    read = set(re.findall(r"!ENV \[(\w+),", config))
    assert {"SITE_URL", "REPO_URL"} <= read
    build = load("pages.yml")["jobs"]["build"]["steps"]
    names = [s.get("id") or s.get("uses") or s.get("run") for s in build]
    step = next(s for s in build if str(s.get("run", "")).startswith("mmllm build"))
    assert names.index("pages") < build.index(step)  # configure-pages knows the address first
    assert set(step["env"]) == read
    assert step["env"]["SITE_URL"] == "${{ steps.pages.outputs.base_url }}/"
    assert step["env"]["REPO_URL"] == "${{ github.server_url }}/${{ github.repository }}"
