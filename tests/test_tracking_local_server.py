"""`mmllm sync` and `mmllm discover` as a user runs them, over a copy of the real catalogue,
against a real HTTP server on 127.0.0.1 that the settings (MMLLM_*) point at: 429, 5xx,
hangs, malformed answers, a deadline, and a run killed while it writes. Nothing recorded is
lost, nothing ends in a traceback, and every run is bounded in time."""
from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from builder import cli
from builder.tracking.meta import read_meta
from builder.tracking.sync import record_repos
from conftest import ROOT, copy_project, mmllm
from builder.tracking.discover import load_config
from tracking_support import FakeServices, atom_entry

# small timeouts and no pacing keep these runs fast; one retry still exercises the retry path
CONFIG = ROOT / "tracking" / "discover.yaml"
FAST = {"MMLLM_HTTP_TIMEOUT": "0.5", "MMLLM_HTTP_RETRIES": "1", "MMLLM_ARXIV_INTERVAL": "0"}


@pytest.fixture(scope="module")
def project(tmp_path_factory) -> Path:
    """One copy of the project's records and sources; each test copies its models/_meta."""
    return copy_project(tmp_path_factory.mktemp("local-server") / "project")


@pytest.fixture
def root(project, tmp_path) -> Path:
    meta = project / "models" / "_meta"
    if meta.exists():
        for path in meta.iterdir():
            path.unlink()
    return project


def point_at(monkeypatch, base: str) -> None:
    monkeypatch.setenv("MMLLM_ARXIV_API", f"{base}/arxiv/api/query")
    monkeypatch.setenv("MMLLM_GITHUB_API", f"{base}/github/")
    for name, value in FAST.items():
        monkeypatch.setenv(name, value)
    monkeypatch.delenv("GITHUB_TOKEN", raising=False)


def timed(*args, cwd: Path) -> tuple[subprocess.CompletedProcess, float]:
    """`mmllm ARGS` as a user runs it, and how many seconds it took."""
    start = time.monotonic()
    proc = mmllm(*args, cwd=cwd)
    return proc, time.monotonic() - start


def cited(catalogue) -> tuple[set[str], set[str]]:
    return ({m.paper.arxiv for m in catalogue.models if m.paper and m.paper.arxiv},
            set(record_repos(catalogue.models)))


def test_sync_against_a_faulty_local_server(root, catalogue, monkeypatch):
    arxiv_ids, repos = cited(catalogue)
    r = sorted(repos)
    faults = {sorted(arxiv_ids)[0]: ["429"],  # its batch: asked again, then answered
              r[0]: ["429"], r[1]: ["500"], r[2]: ["500", "500"], r[3]: ["hang", "hang"],
              r[4]: ["malformed"], r[5]: ["hang"]}
    services = FakeServices(catalogue.models, faults=faults, hang_seconds=3)
    with services.serve() as base:
        point_at(monkeypatch, base)
        proc, elapsed = timed("--root", str(root), "sync", "--no-cache", "--report", "sync.md", cwd=root)
    assert proc.returncode == 0, proc.stderr
    assert "Traceback" not in proc.stderr + proc.stdout
    assert elapsed < 30, f"took {elapsed:.1f}s"
    assert all("/arxiv/api/query" in u or "/github/repos/" in u for u in services.requests)
    assert set(read_meta(root, "arxiv")) == arxiv_ids
    # given up: 500 twice (r[2]), hangs twice (r[3]), not a repository (r[4]); the others got through
    assert set(read_meta(root, "github")) == repos - {r[2], r[3], r[4]}
    report = (root / "sync.md").read_text(encoding="utf-8")
    assert f"GitHub {r[2]} " in report and "HTTP 500 after 2 attempt(s)" in report
    assert f"GitHub {r[3]} " in report and "timed out after 2 attempt(s)" in report
    assert f"GitHub {r[4]} " in report and "MalformedAnswer" in report


def test_a_deadline_ends_a_run_against_hanging_hosts(root, catalogue, monkeypatch):
    arxiv_ids, repos = cited(catalogue)
    services = FakeServices(catalogue.models, faults={r: ["hang"] * 5 for r in repos}, hang_seconds=2)
    with services.serve() as base:
        point_at(monkeypatch, base)
        proc, elapsed = timed("--root", str(root), "sync", "--no-cache", "--deadline", "3s", cwd=root)
    assert proc.returncode == 0, proc.stderr
    assert "Traceback" not in proc.stderr
    # without the deadline about a minute (134 repositories x 2 attempts x 0.5 s / 4 at a time,
    # plus backoff); with it, 3 s plus the process's start and the catalogue's loading
    assert elapsed < 15, f"took {elapsed:.1f}s"
    assert len(services.requests) < len(repos)
    assert "the deadline (3s) ended the run" in proc.stderr
    assert "### Not fetched before the deadline" in proc.stdout
    assert set(read_meta(root, "arxiv")) == arxiv_ids  # what was fetched is kept
    assert read_meta(root, "github") == {}


def test_discover_against_a_local_server(root, catalogue, monkeypatch):
    model = "We introduce a multimodal large language model for tests; its model weights are released."
    feed = [atom_entry("2611.99002", "Fixture-MLLM: A Multimodal Large Language Model for Tests", summary=model),
            atom_entry("2611.99003", "Ctrl-MLLM&#127;: A Multimodal&#x85; Large Language Model",
                       authors=("Author&#x9f;One",), raw=True, summary=model),
            atom_entry("2611.99006", "Dateless-MLLM: a multimodal large language model", published="never")]
    services = FakeServices(catalogue.models, search=feed, faults={"search": ["429", "500"]})
    with services.serve() as base:
        point_at(monkeypatch, base)
        monkeypatch.setenv("MMLLM_HTTP_RETRIES", "2")
        proc = mmllm("--root", str(root), "discover", "--no-cache", "--drafts", "new-drafts",
                     "--config", str(CONFIG), cwd=root)
    assert proc.returncode == 0, proc.stderr
    assert "Traceback" not in proc.stderr
    queries = len(load_config(CONFIG).queries())
    assert len(services.requests) == 2 + queries  # 429, 500, then an answer to each query
    assert "2611.99006" in proc.stdout and "skipped as unusable (1)" in proc.stdout
    drafts = sorted((root / "new-drafts").glob("*.yaml"))
    assert [p.name for p in drafts] == ["ctrl-mllm.yaml", "fixture-mllm.yaml"]
    for path in drafts:  # valid YAML: only the TODO fields are missing
        check = mmllm("validate", str(path), cwd=root)
        assert "not valid YAML" not in check.stdout + check.stderr and "unacceptable" not in check.stderr
        assert "io.input" in check.stdout + check.stderr


def test_malformed_search_answer_is_a_clear_error(root, catalogue, monkeypatch):
    services = FakeServices(catalogue.models, faults={"search": ["malformed"]})
    with services.serve() as base:
        point_at(monkeypatch, base)
        proc = mmllm("--root", str(root), "discover", "--no-cache", "--dry-run", "--config", str(CONFIG), cwd=root)
    assert proc.returncode == 1 and "Traceback" not in proc.stderr
    assert proc.stderr.startswith("discover: arXiv search failed:") and "expected an Atom <feed>" in proc.stderr


# the child: every fsync (write_atomic's, just before the rename) announces itself and stalls,
# so the parent can kill the run in the middle of writing a meta file
STALL_AT_FSYNC = """
import os, sys, time
def stall(fd):
    print("writing", flush=True)
    time.sleep(60)
os.fsync = stall
from builder import cli
sys.exit(cli.main(sys.argv[1:]))
"""


def test_a_run_killed_while_writing_loses_nothing(root, catalogue, monkeypatch):
    arxiv_ids, repos = cited(catalogue)
    services = FakeServices(catalogue.models)
    meta = root / "models" / "_meta"
    with services.serve() as base:
        point_at(monkeypatch, base)
        assert cli.main(["--root", str(root), "sync", "--no-cache", "--skip", "github"]) == 0
        before = (meta / "arxiv.json").read_bytes()
        env = {**os.environ, "PYTHONPATH": str(ROOT)}
        child = subprocess.Popen([sys.executable, "-c", STALL_AT_FSYNC, "--root", str(root), "sync", "--no-cache"],
                                 cwd=root, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
        try:
            assert child.stdout.readline().strip() == "writing"
        finally:
            child.send_signal(signal.SIGKILL)
            child.wait(timeout=10)
        # killed in the middle of writing arxiv.json: the file is the previous one, whole
        assert (meta / "arxiv.json").read_bytes() == before
        assert set(json.loads(before)["entries"]) == arxiv_ids
        left = [p.name for p in meta.iterdir() if p.name.endswith(".tmp")]
        assert len(left) == 1 and left[0].startswith(f".arxiv.json.{child.pid}.")

        # the next run removes the stale temporary file and writes both files, as `open` would
        assert cli.main(["--root", str(root), "sync", "--no-cache"]) == 0
    assert sorted(p.name for p in meta.iterdir()) == ["arxiv.json", "github.json"]
    assert set(read_meta(root, "github")) == repos
    umask = os.umask(0)
    os.umask(umask)
    assert all((p.stat().st_mode & 0o777) == (0o666 & ~umask) for p in meta.iterdir())


@pytest.mark.parametrize("name, value, message", [
    ("MMLLM_HTTP_TIMEOUT", "soon", "MMLLM_HTTP_TIMEOUT='soon': expected a number of seconds > 0, e.g. 20"),
    ("MMLLM_HTTP_TIMEOUT", "0", "MMLLM_HTTP_TIMEOUT='0': expected a number of seconds > 0, e.g. 20"),
    ("MMLLM_HTTP_RETRIES", "-1", "MMLLM_HTTP_RETRIES='-1': expected a whole number >= 0 and <= 20, e.g. 4"),
    ("MMLLM_ARXIV_INTERVAL", "nan", "MMLLM_ARXIV_INTERVAL='nan': expected a number of seconds >= 0, e.g. 3"),
    ("MMLLM_ARXIV_API", "export.arxiv.org/api/query",
     "MMLLM_ARXIV_API='export.arxiv.org/api/query': expected an http(s) URL such as https://export.arxiv.org/api/query"),
    ("MMLLM_GITHUB_API", "ftp://example.org", "MMLLM_GITHUB_API='ftp://example.org': expected an http(s) URL"),
])
@pytest.mark.parametrize("command", ["sync", "discover", "new"])
def test_a_bad_setting_is_a_one_line_error_naming_it(tmp_path, monkeypatch, capsys, name, value, message, command):
    monkeypatch.setenv(name, value)
    argv = ["--root", str(tmp_path), command] + (["2402.00010"] if command == "new" else [])
    assert cli.main(argv) == 2
    err = capsys.readouterr().err
    assert err.splitlines()[0].startswith(message) and "Traceback" not in err
    assert not (tmp_path / "models").exists()


@pytest.mark.parametrize("value", ["0s", "soon", "5 minutes"])
def test_a_bad_deadline_is_a_one_line_error(tmp_path, capsys, value):
    assert cli.main(["--root", str(tmp_path), "sync", "--deadline", value]) == 2
    assert capsys.readouterr().err.startswith("--deadline: ")


def test_new_gives_up_on_a_hanging_arxiv_at_its_deadline(tmp_path, catalogue, monkeypatch):
    services = FakeServices(catalogue.models, faults={"2402.00010": ["hang"] * 5}, hang_seconds=20)
    with services.serve() as base:
        point_at(monkeypatch, base)
        monkeypatch.setenv("MMLLM_HTTP_TIMEOUT", "30")
        proc, elapsed = timed("--root", str(tmp_path), "new", "2402.00010", "--id", "waited", "--deadline", "1s",
                              cwd=tmp_path)
    assert proc.returncode == 0 and "Traceback" not in proc.stderr
    assert elapsed < 10, f"took {elapsed:.1f}s"  # the request is cut at the 1 s deadline, not at 30 s
    assert "deadline was reached" in proc.stderr
    assert "  arxiv: '2402.00010'" in (tmp_path / "models" / "waited.yaml").read_text()


def test_discover_against_a_hanging_search_stops_at_the_deadline(root, catalogue, monkeypatch):
    services = FakeServices(catalogue.models, faults={"search": ["hang"] * 5}, hang_seconds=20)
    with services.serve() as base:
        point_at(monkeypatch, base)
        monkeypatch.setenv("MMLLM_HTTP_TIMEOUT", "30")
        proc, elapsed = timed("--root", str(root), "discover", "--no-cache", "--dry-run", "--deadline", "2s",
                              "--config", str(CONFIG), cwd=root)
    assert proc.returncode == 1 and "Traceback" not in proc.stderr
    assert elapsed < 12, f"took {elapsed:.1f}s"  # cut at the 2 s deadline, not at the 30 s timeout
    assert proc.stderr.startswith("discover: arXiv search failed:") and "deadline was reached" in proc.stderr
