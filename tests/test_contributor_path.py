"""A new contributor's path: `mmllm validate` of the files a commit touches, run from anywhere
inside the project, the scaffold's TODO markers, help texts and messages."""
from __future__ import annotations

import argparse
import os
import re
import shutil
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path

import pytest

from builder.cli import make_parser
from builder.commands.fmt import split_header
from conftest import ROOT, TINY, mmllm


@pytest.fixture
def tiny_project(tmp_path: Path) -> Path:
    """The tiny catalogue as a project (mkdocs.yml beside models/ marks the project folder)."""
    root = tmp_path / "tiny"
    shutil.copytree(TINY, root)
    (root / "mkdocs.yml").write_text("site_name: tiny\n", encoding="utf-8")
    return root


def copy_under_new_id(root: Path, source: str, new_id: str) -> Path:
    text = (root / "models" / f"{source}.yaml").read_text(encoding="utf-8")
    assert f"id: {source}\n" in text
    path = root / "models" / f"{new_id}.yaml"
    path.write_text(text.replace(f"id: {source}\n", f"id: {new_id}\n"), encoding="utf-8")
    return path


def test_a_named_file_is_checked_against_the_whole_catalogue(tiny_project: Path):
    """What the pre-commit hook runs (only the changed files) fails as the full check does."""
    copy_under_new_id(tiny_project, "alpha", "alpha-copy")
    full = mmllm("validate", cwd=tiny_project)
    named = mmllm("validate", "models/alpha-copy.yaml", cwd=tiny_project)
    assert full.returncode == named.returncode == 1
    assert "Traceback" not in named.stderr
    clashes = [line for line in named.stderr.splitlines() if "already" in line]
    assert clashes and all(line.startswith("models/alpha-copy.yaml:") for line in clashes)
    assert any("arXiv id" in line and "is already used by 'alpha'" in line for line in clashes)
    assert clashes == [line for line in full.stderr.splitlines() if "already" in line]


def test_a_clash_is_reported_on_the_named_file_whatever_the_id_order(tiny_project: Path):
    copy_under_new_id(tiny_project, "beta", "aaa-beta")  # sorts before the original
    proc = mmllm("validate", "models/aaa-beta.yaml", cwd=tiny_project)
    assert proc.returncode == 1
    problems = proc.stderr.strip().splitlines()[:-1]
    assert problems and all(line.startswith("models/aaa-beta.yaml:") for line in problems), problems
    assert proc.stderr.strip().endswith("in 1 file(s)")


def test_naming_a_valid_file_checks_only_that_file(tiny_project: Path):
    # a broken record elsewhere is the full check's business, not this file's
    (tiny_project / "models" / "broken.yaml").write_text("id: broken\n", encoding="utf-8")
    proc = mmllm("validate", "models/alpha.yaml", cwd=tiny_project)
    assert (proc.returncode, proc.stdout) == (0, "ok: 1 valid model(s)\n"), proc.stderr
    assert mmllm("validate", cwd=tiny_project).returncode == 1


def test_a_named_dataset_is_checked_against_the_model_records(tiny_project: Path):
    path = tiny_project / "datasets" / "alpha-it.yaml"
    assert mmllm("validate", "datasets/alpha-it.yaml", cwd=tiny_project).returncode == 0
    path.write_text(path.read_text(encoding="utf-8").replace("models: [alpha]", "models: [alpah]"),
                    encoding="utf-8")
    proc = mmllm("validate", "datasets/alpha-it.yaml", cwd=tiny_project)
    assert proc.returncode == 1
    assert "datasets/alpha-it.yaml:" in proc.stderr and "no model record has id 'alpah'" in proc.stderr


def test_run_inside_models_it_finds_the_project_folder(tiny_project: Path):
    inside = mmllm("validate", cwd=tiny_project / "models")
    assert inside.returncode == 0, inside.stderr
    assert inside.stdout == mmllm("validate", cwd=tiny_project).stdout
    assert inside.stdout.startswith("ok: 2 valid model(s), ")
    one = mmllm("validate", "alpha.yaml", cwd=tiny_project / "models")
    assert (one.returncode, one.stdout) == (0, "ok: 1 valid model(s)\n")
    copy_under_new_id(tiny_project, "alpha", "alpha-copy")
    named = mmllm("validate", "alpha-copy.yaml", cwd=tiny_project / "models")
    assert named.returncode == 1 and named.stderr.startswith("models/alpha-copy.yaml:")


def test_outside_a_project_it_says_so(tmp_path: Path):
    (tmp_path / "models").mkdir()  # a models/ folder alone is not a project
    proc = mmllm("validate", cwd=tmp_path / "models")
    assert proc.returncode == 2 and proc.stdout == ""
    assert proc.stderr.count("\n") == 1 and "Traceback" not in proc.stderr
    assert "not inside an MM-LLMs Atlas project" in proc.stderr and "--root" in proc.stderr


# -- mmllm serve --------------------------------------------------------------------------------

def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def accepting(port: int) -> bool:
    with socket.socket() as client:
        return client.connect_ex(("127.0.0.1", port)) == 0


def test_sigterm_stops_the_server_it_started_and_frees_the_port(project: Path, tmp_path: Path):
    port = free_port()
    env = {**os.environ, "PYTHONPATH": str(ROOT), "NO_MKDOCS_2_WARNING": "1"}
    with open(tmp_path / "serve.log", "wb") as log:
        serve = subprocess.Popen([sys.executable, "-m", "builder.cli", "serve", "--addr",
                                  f"127.0.0.1:{port}"], cwd=project, env=env, stdout=log, stderr=log)
    try:
        deadline = time.monotonic() + 300  # mkdocs builds the site before it listens
        while not accepting(port):
            assert serve.poll() is None and time.monotonic() < deadline, (
                tmp_path / "serve.log").read_text(encoding="utf-8")
            time.sleep(0.5)
        serve.send_signal(signal.SIGTERM)
        assert serve.wait(timeout=60) == 128 + signal.SIGTERM
        # the mkdocs child went with it: nothing listens on the port any more
        deadline = time.monotonic() + 10
        while accepting(port) and time.monotonic() < deadline:
            time.sleep(0.2)
        assert not accepting(port)
        assert "Traceback" not in (tmp_path / "serve.log").read_text(encoding="utf-8")
    finally:
        if serve.poll() is None:
            serve.kill()


def test_a_busy_port_is_one_line_not_a_traceback(tiny_project: Path):
    with socket.socket() as holder:
        holder.bind(("127.0.0.1", 0))
        holder.listen()
        addr = f"127.0.0.1:{holder.getsockname()[1]}"
        proc = mmllm("serve", "--addr", addr, cwd=tiny_project)
    assert proc.returncode == 1 and proc.stderr.count("\n") == 1 and "Traceback" not in proc.stderr
    assert proc.stderr.startswith(f"mmllm serve: cannot serve on {addr}: ")
    assert "--addr" in proc.stderr
    bad = mmllm("serve", "--addr", "localhost", cwd=tiny_project)
    assert bad.returncode == 1 and "HOST:PORT" in bad.stderr and "Traceback" not in bad.stderr


# -- the scaffold's TODO markers and comments ------------------------------------------------------

def fill(text: str, key: str, value: str) -> str:
    """`key:` given a value, its comment kept."""
    pattern = re.compile(rf"^(\s*{key}:)[ ]*(?:\[\])?[ ]*(#.*)?$", re.M)
    assert pattern.search(text), key
    return pattern.sub(lambda m: f"{m[1]} {value}" + (f"  {m[2]}" if m[2] else ""), text, count=1)


@pytest.fixture
def scaffolded(tiny_project: Path) -> Path:
    """A blank `mmllm new` scaffold with every required value filled in, its comments kept."""
    made = mmllm("new", "--offline", "--id", "my-model", cwd=tiny_project)
    assert made.returncode == 0, made.stderr
    path = tiny_project / "models" / "my-model.yaml"
    text = path.read_text(encoding="utf-8")
    for key, value in [("name", "My Model"), ("date", "'2024-01-01'"), ("input", "[image, text]"),
                       ("output", "[text]"), ("functional", "[understanding]"),
                       ("design", "end-to-end"), ("open_weights", "true"), ("license", "MIT"),
                       ("variants", "[{name: my-model-7b, params: 7B}]"),
                       ("sources", "[{url: 'https://example.org/p'}]")]:
        text = fill(text, key, value)
    path.write_text(text, encoding="utf-8")
    return path


def todo_lines(text: str) -> list[int]:
    header, body = split_header(text)
    return [header.count("\n") + n for n, line in enumerate(body.splitlines(), 1)
            if re.search(r"#.*\bTODO\b", line)]


def test_validate_warns_about_each_todo_left(scaffolded: Path):
    root = scaffolded.parents[1]
    expected = todo_lines(scaffolded.read_text(encoding="utf-8"))
    assert len(expected) >= 5
    proc = mmllm("validate", "models/my-model.yaml", cwd=root)
    assert (proc.returncode, proc.stdout) == (0, "ok: 1 valid model(s)\n"), proc.stderr
    warned = [int(line.split(":")[1]) for line in proc.stderr.splitlines()]
    assert sorted(set(warned)) == expected
    assert all(": warning: TODO left from the scaffold" in line for line in proc.stderr.splitlines())
    # a TODO inside a value (a note quoting a README's TODO list) is not a marker
    assert mmllm("validate", cwd=ROOT).stderr == ""


def test_fmt_lists_every_todo_at_once_then_drops_the_scaffolds_comments(scaffolded: Path):
    root = scaffolded.parents[1]
    text = scaffolded.read_text(encoding="utf-8")
    refused = mmllm("fmt", "models/my-model.yaml", cwd=root)
    assert refused.returncode == 1 and scaffolded.read_text(encoding="utf-8") == text
    lines = todo_lines(text)
    shown = ", ".join(map(str, lines[:12])) + (", ..." if len(lines) > 12 else "")  # fmt shows the first 12
    assert f"models/my-model.yaml:{lines[0]}:1: TODO left from the scaffold (line(s) {shown})" in refused.stderr
    # the TODOs done: what is left of the scaffold's comments is dropped, the modeline kept
    header, body = split_header(text)
    body = re.sub(r"^[ \t]*#.*\bTODO\b.*\n", "", body, flags=re.M)
    body = re.sub(r"[ \t]+#.*\bTODO\b.*$", "", body, flags=re.M)
    assert "# modality ids:" in body and "# = the file name" in body  # scaffold annotations
    scaffolded.write_text(header + body, encoding="utf-8")
    done = mmllm("fmt", "models/my-model.yaml", cwd=root)
    assert done.returncode == 0, done.stderr
    formatted = scaffolded.read_text(encoding="utf-8")
    assert formatted.startswith("# yaml-language-server: $schema=../schema/model.schema.json\nid: my-model\n")
    assert formatted.count("#") == 1
    check = mmllm("validate", "models/my-model.yaml", cwd=root)
    assert (check.returncode, check.stderr) == (0, "")


def test_fmt_lists_every_comment_of_its_own_it_would_lose(tiny_project: Path):
    path = tiny_project / "models" / "alpha.yaml"
    lines = path.read_text(encoding="utf-8").splitlines(keepends=True)
    first = next(i for i, line in enumerate(lines) if line.startswith("name:"))
    lines.insert(first + 1, "# a curator's remark\n")
    lines[first + 3] = lines[first + 3].rstrip("\n") + "  # another\n"
    path.write_text("".join(lines), encoding="utf-8")
    proc = mmllm("fmt", "models/alpha.yaml", cwd=tiny_project)
    assert proc.returncode == 1
    assert f"models/alpha.yaml:{first + 2}:1: comment(s) on line(s) {first + 2}, {first + 4} would " \
           "be lost" in proc.stderr


# -- help and messages --------------------------------------------------------------------------

def test_every_argument_of_every_command_has_help():
    parser = make_parser()
    commands = next(a for a in parser._actions if isinstance(a, argparse._SubParsersAction))
    missing = [(name, action.dest) for name, command in commands.choices.items()
               for action in command._actions if not action.help]
    assert not missing
    assert commands.choices["validate"].format_help().count("default: every record of every kind")


def test_export_without_its_argument_names_what_to_write(tiny_project: Path):
    proc = mmllm("export", cwd=tiny_project)
    assert proc.returncode == 2
    assert proc.stderr.strip().endswith("mmllm export: error: the following arguments are required: results|bibtex")


def test_a_missing_file_is_named_without_a_position(tiny_project: Path):
    proc = mmllm("validate", "nope.yaml", cwd=tiny_project)
    assert proc.returncode == 1
    assert proc.stderr.splitlines()[0] == "nope.yaml: cannot read file: No such file or directory"


# -- the guides ------------------------------------------------------------------------------------

def guide_commands(name: str) -> list[str]:
    """The `mmllm ...` commands of a guide's shell blocks, in order, without comments."""
    text = (ROOT / name).read_text(encoding="utf-8")
    blocks = re.findall(r"```sh\n(.*?)```", text, flags=re.S)
    return [part.strip() for block in blocks for line in block.splitlines()
            for part in line.split("#")[0].split("&&") if part.strip().startswith("mmllm ")]


def test_contributing_starts_with_mmllm_new_and_its_commands_parse():
    commands = guide_commands("CONTRIBUTING.md")
    assert commands[0].startswith("mmllm new ")
    assert {c.split()[1] for c in commands} >= {"new", "validate", "fmt", "build", "serve"}
    for command in commands + guide_commands("README.md"):
        args = make_parser().parse_args(command.split()[1:])
        assert callable(args.func), command
