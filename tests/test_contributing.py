"""The contributor path: annotated example, templates, pre-commit hooks and the fmt CI job."""
from __future__ import annotations

import os
import re
import subprocess
import sys
import typing
from pathlib import Path

import yaml
from pydantic import BaseModel

from conftest import ROOT
from schema import load_catalogue
from schema.loader import parse_text
from schema.model import ModelRecord

GUIDE = (ROOT / "CONTRIBUTING.md").read_text(encoding="utf-8")
sys.path.insert(0, str(ROOT / "scripts"))
import contributing_values  # noqa: E402


def example() -> str:
    block = GUIDE.split("<!-- example-record -->", 1)[1]
    return re.search(r"```yaml\n(.*?)```", block, re.S)[1]


def test_annotated_example_validates(tmp_path: Path):
    text = example()
    record_id = re.search(r"^id: (\S+)", text, re.M)[1]
    path = tmp_path / f"{record_id}.yaml"
    path.write_text(text, encoding="utf-8")
    cat = load_catalogue(tmp_path, [path])
    assert cat.ok, [str(p) for p in cat.problems]
    assert cat.models[0].results and cat.models[0].architecture


def field_names(model: type[BaseModel]) -> set[str]:
    names = set()

    def models_in(annotation):
        if isinstance(annotation, type) and issubclass(annotation, BaseModel):
            return [annotation]
        return [m for a in typing.get_args(annotation) for m in models_in(a)]

    for name, info in model.model_fields.items():
        names.add(name)
        for sub in models_in(info.annotation):
            names |= field_names(sub)
    return names


def test_example_mentions_every_key_of_the_schema():
    text = example()
    keys = set(re.findall(r"^[#\s-]*([a-z_]+):", text, re.M)) | \
        set(re.findall(r"#\s+([a-z_]+), ([a-z_]+): optional", text))
    keys |= {k for pair in re.findall(r"#\s+([a-z_]+), ([a-z_]+): optional", text) for k in pair}
    missing = field_names(ModelRecord) - keys
    assert not missing, f"CONTRIBUTING.md example does not show: {sorted(missing)}"


def test_every_key_says_required_or_optional():
    text = example()
    doc = parse_text(text)
    lines = text.splitlines()
    seen = set()
    for loc, (line, _) in sorted(doc.positions.items(), key=lambda kv: kv[1]):
        if not loc or not isinstance(loc[-1], str):
            continue
        shape = tuple("[]" if isinstance(p, int) else p for p in loc)
        if shape in seen:
            continue  # a repeated entry (second result, more sources) need not repeat the notes
        seen.add(shape)
        assert re.search(r"#.*\b(required|optional)\b", lines[line - 1]), lines[line - 1]


def test_allowed_values_block_is_generated_from_the_vocabularies():
    assert contributing_values.refresh(GUIDE) == GUIDE, \
        "run: python scripts/contributing_values.py --write"


def test_templates_and_workflows_are_valid_yaml():
    for path in [*(ROOT / ".github").rglob("*.yml"), ROOT / ".pre-commit-config.yaml"]:
        assert isinstance(yaml.safe_load(path.read_text(encoding="utf-8")), dict), path
    add = yaml.safe_load((ROOT / ".github/ISSUE_TEMPLATE/add-model.yml").read_text(encoding="utf-8"))
    record = next(b for b in add["body"] if b.get("id") == "record")
    assert record["attributes"]["render"] == "yaml"
    links = yaml.safe_load((ROOT / ".github/workflows/links.yml").read_text(encoding="utf-8"))
    triggers = links[True]  # YAML 1.1 reads the key `on` as true
    assert "schedule" in triggers and "pull_request" not in triggers


def test_pre_commit_hooks_run_mmllm_on_changed_records():
    config = yaml.safe_load((ROOT / ".pre-commit-config.yaml").read_text(encoding="utf-8"))
    hooks = {h["id"]: h for repo in config["repos"] for h in repo["hooks"]}
    assert hooks["mmllm-validate"]["entry"] == "mmllm validate"
    assert hooks["mmllm-fmt"]["entry"] == "mmllm fmt --check"
    for hook in hooks.values():
        pattern = re.compile(hook["files"])
        assert pattern.search("models/llava.yaml") and not pattern.search("models/_draft.yaml")
        assert not pattern.search("schema/vocabularies/modalities.yaml")


def shim(tmp_path: Path) -> dict:
    """An environment where `mmllm` runs this checkout, as `pip install -e .` would give."""
    bin_dir = tmp_path / "bin"
    bin_dir.mkdir()
    exe = bin_dir / "mmllm"
    exe.write_text(f"#!/bin/sh\nexec {sys.executable} -m builder.cli \"$@\"\n", encoding="utf-8")
    exe.chmod(0o755)
    return {**os.environ, "PATH": f"{bin_dir}:{os.environ['PATH']}", "PYTHONPATH": str(ROOT),
            "GITHUB_STEP_SUMMARY": str(tmp_path / "summary.md")}


def test_fmt_workflow_shows_the_suggested_change(tmp_path: Path):
    workflow = yaml.safe_load((ROOT / ".github/workflows/fmt.yml").read_text(encoding="utf-8"))
    steps = {s.get("name"): s["run"] for s in workflow["jobs"]["fmt"]["steps"] if "run" in s}
    script = steps["mmllm fmt"] + "\n" + steps["Suggested changes"]
    project = tmp_path / "project"
    (project / "models").mkdir(parents=True)
    (project / "mkdocs.yml").write_text("site_name: t\n", encoding="utf-8")  # marks the project
    good = (ROOT / "models" / "llava.yaml").read_text(encoding="utf-8")
    record = project / "models" / "llava.yaml"
    env = shim(tmp_path)

    def git(*argv):
        subprocess.run(["git", "-c", "user.name=t", "-c", "user.email=t@e", *argv], cwd=project,
                       env=env, check=True, capture_output=True)

    git("init", "-q")
    record.write_text(good, encoding="utf-8")
    git("add", "-A")
    git("commit", "-qm", "good")
    ok = subprocess.run(["bash", "-e", "-c", script], cwd=project, env=env, capture_output=True, text=True)
    assert ok.returncode == 0, ok.stdout + ok.stderr

    shuffled = good.replace("design: end-to-end\n", "").replace("id: llava\n", "id: llava\ndesign: end-to-end\n")
    record.write_text(shuffled, encoding="utf-8")
    git("commit", "-qam", "shuffled")
    bad = subprocess.run(["bash", "-e", "-c", script], cwd=project, env=env, capture_output=True, text=True)
    assert bad.returncode == 1
    assert "::error file=models/llava.yaml,line=3,title=mmllm fmt::" in bad.stdout
    summary = (tmp_path / "summary.md").read_text(encoding="utf-8")
    assert "```diff\ndiff --git a/models/llava.yaml b/models/llava.yaml\n" in summary
    assert "\n-design: end-to-end\n" in summary and "\n+design: end-to-end\n" in summary
