"""Helpers for the tracking tests: a scripted MockTransport, a fake clock, a tiny project.

No test touches the network: every request goes to `Script`, which answers from the
fixtures in tests/fixtures/tracking/ (synthetic content in the APIs' real shapes).
"""
from __future__ import annotations

import contextlib
import http.server
import json
import shutil
import threading
import time
import urllib.parse
from pathlib import Path
from typing import Callable
from xml.sax.saxutils import escape as xml_escape

import httpx

from builder.tracking.net import Fetcher

FIX = Path(__file__).parent / "fixtures" / "tracking"
PROJECT = Path(__file__).resolve().parents[1]


def fixture(name: str) -> str:
    return (FIX / name).read_text(encoding="utf-8")


Answer = httpx.Response | Exception | Callable[[httpx.Request], httpx.Response]


def ok(name: str, **headers) -> httpx.Response:
    kind = "application/atom+xml; charset=utf-8" if name.endswith(".xml") else "application/json; charset=utf-8"
    return httpx.Response(200, text=fixture(name), headers={"content-type": kind, **headers})


def status(code: int, name: str | None = None, **headers) -> httpx.Response:
    return httpx.Response(code, text=fixture(name) if name else "", headers=headers)


class Script:
    """Answers by route: the first route whose key is in the request URL (or whose predicate
    accepts the request) gives its next answer; the last answer of a route repeats."""

    def __init__(self, routes: dict[str, list[Answer]] | None = None):
        self.routes: list[tuple[str, list[Answer]]] = list((routes or {}).items())
        self.requests: list[httpx.Request] = []
        self._lock = threading.Lock()

    def add(self, key: str, *answers: Answer) -> Script:
        self.routes.append((key, list(answers)))
        return self

    def __call__(self, request: httpx.Request) -> httpx.Response:
        with self._lock:
            self.requests.append(request)
            url = str(request.url)
            for key, answers in self.routes:
                if key in url:
                    answer = answers.pop(0) if len(answers) > 1 else answers[0]
                    break
            else:
                raise AssertionError(f"unexpected request {url}")
        if isinstance(answer, Exception):
            raise answer
        if callable(answer) and not isinstance(answer, httpx.Response):
            return answer(request)
        return httpx.Response(answer.status_code, headers=answer.headers, content=answer.content)

    def urls(self, key: str = "") -> list[str]:
        return [str(r.url) for r in self.requests if key in str(r.url)]


class Clock:
    """A clock that only moves when something sleeps; records every sleep."""

    def __init__(self, start: float = 1_700_000_000.0):
        self.now = start
        self.sleeps: list[float] = []
        self._lock = threading.Lock()

    def __call__(self) -> float:
        return self.now

    def sleep(self, seconds: float) -> None:
        with self._lock:
            self.sleeps.append(round(seconds, 6))
            self.now += seconds


def fetcher(script: Script, clock: Clock | None = None, **kwargs) -> Fetcher:
    clock = clock or Clock()
    kwargs.setdefault("rng", lambda: 0.5)
    return Fetcher(transport=httpx.MockTransport(script), clock=clock, sleep=clock.sleep, **kwargs)


RECORD = """\
id: {id}
name: {name}
date: '{date}'
added: '{added}'
paper:
  title: {title}
  arxiv: '{arxiv}'
  url: https://arxiv.org/abs/{arxiv}
{links}io:
  input: [image, text]
  output: [text]
functional: [understanding]
design: end-to-end
open_weights: false
license: proprietary
sizes_note: a synthetic fixture; no sizes
sources:
- url: https://example.org/fixture-source
  kind: paper
"""


def write_record(root: Path, id: str, name: str, arxiv: str, title: str, date: str = "2024-01-02",
                 added: str = "2024-06-01", code: str | None = None) -> Path:
    links = f"links:\n  code: {code}\n" if code else ""
    path = root / "models" / f"{id}.yaml"
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(RECORD.format(id=id, name=name, date=date, added=added, title=title,
                                  arxiv=arxiv, links=links), encoding="utf-8")
    return path


def fixture_project(root: Path) -> Path:
    """Three synthetic records whose papers and repositories the fixtures describe."""
    write_record(root, "alpha-vlm", "Alpha-VLM", "2401.00001",
                 "'Alpha-VLM: A Synthetic Fixture Model for Testing the Tracker'",
                 code="https://github.com/example-org/alpha")
    # title and date differ from the fixture's arXiv answer: both are reported
    write_record(root, "beta-lm", "Beta-LM", "2401.00002", "'Beta-LM: the Old Title'",
                 date="2023-12-30", code="https://github.com/example-org/beta/tree/main/sub")
    write_record(root, "gamma", "Gamma", "2401.00003", "'Gamma: Fixture Paper Three'",
                 date="2024-01-09", code="https://github.com/example-org/gamma")
    write_record(root, "delta-gone", "Delta-Gone", "2401.00004", "Delta Gone", date="2024-01-10",
                 code="https://github.com/example-org/delta")
    return root


def copy_discover_config(root: Path) -> Path:
    """The project's discover settings in `root`/tracking, with the labelled papers its learned
    model trains on (discover.yaml names them relative to itself)."""
    (root / "tracking").mkdir(exist_ok=True)
    for name in ("discover.yaml", "discover_labels.yaml"):
        shutil.copy(PROJECT / "tracking" / name, root / "tracking" / name)
    return root / "tracking" / "discover.yaml"


# -- answers built on the fly: the real catalogue, a search feed, injected faults ---------------

def atom_entry(arxiv_id: str, title: str, published: str = "2024-02-01T12:00:00Z",
               authors: tuple[str, ...] = ("Fixture Author",), summary: str = "Fixture abstract.",
               primary: str = "cs.CV", raw: bool = False) -> str:
    """One <entry> in the arXiv API's shape; `raw=True` puts title and authors in as XML, so
    a test can write character references such as &#127; into them."""
    text = (lambda t: t) if raw else xml_escape
    title_xml = text(title)
    names = "".join(f"<author><name>{text(a)}</name></author>" for a in authors)
    return (f"<entry><id>http://arxiv.org/abs/{arxiv_id}v1</id><updated>{published}</updated>"
            f"<published>{published}</published><title>{title_xml}</title>"
            f"<summary>{xml_escape(summary)}</summary>{names}"
            f'<arxiv:primary_category xmlns:arxiv="http://arxiv.org/schemas/atom" term="{primary}"/>'
            f'<category term="{primary}"/></entry>')


def atom_feed(entries: list[str]) -> str:
    return ('<?xml version="1.0" encoding="UTF-8"?>\n<feed xmlns="http://www.w3.org/2005/Atom">'
            "<title>ArXiv Query: fixture</title><id>http://arxiv.org/api/fixture</id>"
            + "".join(entries) + "</feed>\n")


def repo_json(repo: str, stars: int = 7) -> str:
    return json.dumps({"full_name": repo, "stargazers_count": stars, "pushed_at": "2024-05-01T00:00:00Z",
                       "license": {"spdx_id": "MIT"}, "archived": False,
                       "html_url": f"https://github.com/{repo}"})


class FakeServices:
    """The arXiv API and GitHub's repository API for a list of records, as one request
    handler: every arXiv id the records cite is found (with the record's own title and date,
    so an honest run reports no disagreement), every repository exists. `faults` maps an
    arXiv id or owner/repo to the answers its next requests get instead: "429", "500",
    "hang", "malformed" (not the API's format) or "bad-entry" (arXiv: that paper's entry is
    unusable). `search` is the list of entries a search query answers.

    Used as an httpx.MockTransport handler (a hang passes `hang_seconds` on `clock`, then
    raises ReadTimeout) and behind a real local HTTP server (`serve`, where a hang sleeps
    `hang_seconds`)."""

    def __init__(self, models, search: list[str] | None = None,
                 faults: dict[str, list[str]] | None = None, hang_seconds: float = 5.0,
                 clock: Clock | None = None):
        self.clock = clock
        self.papers = {m.paper.arxiv: m for m in models if m.paper and m.paper.arxiv}
        self.search = search or []
        self.faults = {k: list(v) for k, v in (faults or {}).items()}
        self.hang_seconds = hang_seconds
        self.requests: list[str] = []
        self._lock = threading.Lock()

    def _fault(self, keys: list[str]) -> str | None:
        with self._lock:
            for key in keys:
                if self.faults.get(key):
                    return self.faults[key].pop(0)
        return None

    def answer(self, path: str, query: dict[str, str]) -> tuple[int, dict[str, str], str]:
        """(status, headers, body) for a GET of `path` with `query`; a hang returns status 0."""
        with self._lock:
            self.requests.append(path + "?" + "&".join(f"{k}={v}" for k, v in query.items()))
        atom = {"content-type": "application/atom+xml; charset=utf-8"}
        if "id_list" in query:
            ids = [i for i in query["id_list"].split(",") if i]
            fault = self._fault(ids)
            if fault not in (None, "bad-entry"):
                return self._faulty(fault)
            entries = []
            for i in ids:
                m = self.papers.get(i)
                if m is None:
                    continue
                date = "not a date" if fault == "bad-entry" and i == ids[0] else f"{m.date.isoformat()}T12:00:00Z"
                entries.append(atom_entry(i, m.paper.title or f"Fixture title of {m.name}", date))
            return 200, atom, atom_feed(entries)
        if "search_query" in query:
            fault = self._fault(["search"])
            return self._faulty(fault) if fault else (200, atom, atom_feed(self.search))
        if "/repos/" in path:
            repo = path.split("/repos/", 1)[1].strip("/")
            fault = self._fault([repo])
            if fault:
                return self._faulty(fault)
            return 200, {"content-type": "application/json"}, repo_json(repo)
        return 404, {}, "not found"

    def _faulty(self, fault: str) -> tuple[int, dict[str, str], str]:
        if fault == "429":
            return 429, {"retry-after": "0"}, "slow down"
        if fault == "500":
            return 500, {}, "fixture: internal error"
        if fault == "malformed":
            return 200, {"content-type": "text/html"}, "<html><body>fixture: a login page</body></html>"
        if fault == "hang":
            return 0, {}, ""
        raise AssertionError(f"unknown fault {fault!r}")

    def __call__(self, request: httpx.Request) -> httpx.Response:
        query = {k: v for k, v in request.url.params.items()}
        code, headers, body = self.answer(request.url.path, query)
        if code == 0:
            if self.clock is not None:
                self.clock.sleep(self.hang_seconds)
            raise httpx.ReadTimeout("fixture: the host hangs", request=request)
        return httpx.Response(code, headers=headers, text=body)

    @contextlib.contextmanager
    def serve(self):
        """These answers from a real HTTP server on 127.0.0.1: its base URL."""
        services = self

        class Handler(http.server.BaseHTTPRequestHandler):
            def log_message(self, *args):
                pass

            def do_GET(self):
                parts = urllib.parse.urlsplit(self.path)
                query = dict(urllib.parse.parse_qsl(parts.query))
                code, headers, body = services.answer(parts.path, query)
                if code == 0:
                    time.sleep(services.hang_seconds)
                    return  # then close without an answer
                data = body.encode("utf-8")
                self.send_response(code)
                for k, v in headers.items():
                    self.send_header(k, v)
                self.send_header("Content-Length", str(len(data)))
                self.end_headers()
                self.wfile.write(data)

        httpd = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        httpd.daemon_threads = True
        thread = threading.Thread(target=httpd.serve_forever, daemon=True)
        thread.start()
        try:
            yield f"http://127.0.0.1:{httpd.server_address[1]}"
        finally:
            httpd.shutdown()
            httpd.server_close()
