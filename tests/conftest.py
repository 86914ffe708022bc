from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
FIXTURES = Path(__file__).parent / "fixtures"
TINY = FIXTURES / "tiny"
# hand-written folders a build reads (record kinds and the site's sources)
DATA_FOLDERS = ["models", "datasets", "benchmarks", "surveys", "components", "site"]


def run(*argv: str, cwd: Path, check: bool = False) -> subprocess.CompletedProcess:
    """Run a command as a user would, with this checkout first on the import path."""
    env = {**os.environ, "PYTHONPATH": str(ROOT), "NO_MKDOCS_2_WARNING": "1"}
    proc = subprocess.run(argv, cwd=cwd, env=env, capture_output=True, text=True, timeout=600)
    if check and proc.returncode != 0:
        raise AssertionError(f"{argv} failed ({proc.returncode}):\n{proc.stdout}\n{proc.stderr}")
    return proc


def mmllm(*argv: str, cwd: Path) -> subprocess.CompletedProcess:
    return run(sys.executable, "-m", "builder.cli", *argv, cwd=cwd)


# Debian's Chromium, driven by playwright (`playwright install` cannot download browsers here)
CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = ["--no-sandbox", "--headless", "--disable-gpu", "--disable-background-networking",
                 "--disable-component-update", "--disable-sync", "--no-first-run"]


def copy_project(dest: Path) -> Path:
    """A copy of the project's site sources and records at `dest`, to build and break freely."""
    dest.mkdir(parents=True)
    config = (ROOT / "mkdocs.yml").read_text(encoding="utf-8")
    # `hooks:` and `watch:` paths are relative to mkdocs.yml: point code paths at this checkout
    for code in ("builder", "schema"):
        config = re.sub(rf"^(\s*- ){code}\b", rf"\g<1>{ROOT}/{code}", config, flags=re.M)
    (dest / "mkdocs.yml").write_text(config, encoding="utf-8")
    for folder in DATA_FOLDERS:
        if (ROOT / folder).is_dir():
            shutil.copytree(ROOT / folder, dest / folder)
    return dest


@pytest.fixture
def project(tmp_path: Path) -> Path:
    return copy_project(tmp_path / "project")


@pytest.fixture(scope="session")
def catalogue():
    from schema import load_catalogue
    return load_catalogue(ROOT)


@pytest.fixture(scope="session")
def tiny():
    from schema import load_catalogue
    return load_catalogue(TINY)
