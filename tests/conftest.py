from __future__ import annotations

import contextlib
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path
from urllib.parse import urlparse

import pytest

ROOT = Path(__file__).resolve().parents[1]
FIXTURES = Path(__file__).parent / "fixtures"
TINY = FIXTURES / "tiny"
# hand-written folders a build reads (record kinds and the site's sources)
DATA_FOLDERS = ["models", "datasets", "benchmarks", "surveys", "components", "site"]


# what mkdocs.yml reads from the environment (the Pages workflow sets them); unset in tests
# unless a test sets them, so every other build is the local build a contributor makes
PUBLISH_VARIABLES = ("SITE_URL", "REPO_URL", "EDIT_URI")


def run(*argv: str, cwd: Path, check: bool = False,
        env: dict[str, str] | None = None) -> subprocess.CompletedProcess:
    """Run a command as a user would, with this checkout first on the import path."""
    env = {**{k: v for k, v in os.environ.items() if k not in PUBLISH_VARIABLES},
           "PYTHONPATH": str(ROOT), "NO_MKDOCS_2_WARNING": "1", **(env or {})}
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


# -- the real site, built once per test session and served locally; a browser -----------------

@pytest.fixture(scope="session")
def built_site(tmp_path_factory) -> Path:
    """The project's own site, as `mkdocs build --strict` writes it."""
    out = tmp_path_factory.mktemp("site")
    proc = run(sys.executable, "-m", "mkdocs", "build", "--strict", "--site-dir", str(out), cwd=ROOT)
    assert proc.returncode == 0, proc.stderr
    return out


@contextlib.contextmanager
def served(folder: Path):
    """`folder` over http on a free local port: its base URL, without a trailing /."""
    import functools
    import http.server
    import threading

    class Quiet(http.server.SimpleHTTPRequestHandler):
        def log_message(self, *args):
            pass
    httpd = http.server.ThreadingHTTPServer(("127.0.0.1", 0),
                                            functools.partial(Quiet, directory=str(folder)))
    threading.Thread(target=httpd.serve_forever, daemon=True).start()
    try:
        yield f"http://127.0.0.1:{httpd.server_address[1]}"
    finally:
        httpd.shutdown()
        httpd.server_close()


@pytest.fixture(scope="session")
def site_server(built_site):
    """The built site, served locally: its base URL, without a trailing /."""
    with served(built_site) as url:
        yield url


# per module: playwright's sync API holds an event loop open, which asyncio.run() elsewhere refuses
@pytest.fixture(scope="module")
def chromium_browser():
    """Debian's Chromium through playwright; the tests that need it skip where it is missing."""
    if not Path(CHROMIUM).exists():
        pytest.skip(f"{CHROMIUM} is not installed (apt-get install chromium)")
    sync_api = pytest.importorskip("playwright.sync_api")
    with sync_api.sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield browser
        browser.close()


@pytest.fixture()
def page(chromium_browser, site_server):
    """A page of the served site that aborts (and keeps) any request leaving 127.0.0.1 and keeps
    script errors; the test fails on either."""
    ctx = chromium_browser.new_context()
    pg = ctx.new_page()
    outside, errors = [], []

    def route(r):
        if urlparse(r.request.url).hostname != "127.0.0.1":
            outside.append(r.request.url)
            return r.abort()
        return r.continue_()
    pg.route("**/*", route)
    pg.on("pageerror", lambda e: errors.append(str(e)))
    pg.base = site_server
    yield pg
    ctx.close()
    assert outside == [], f"requests left the site: {outside}"
    assert errors == []
