"""`mmllm check-links` against recorded responses (httpx.MockTransport; never the network)."""
from __future__ import annotations

import asyncio
import io
import json
import time
from collections import defaultdict
from pathlib import Path

import httpx
import pytest

from builder.commands import links
from conftest import FIXTURES

FAST = links.Settings(concurrency=4, per_host_interval=0.0, retries=2, backoff=0.0, timeout=5)


class Server:
    """Recorded responses per (method, URL); a list is served in order, the last one repeats."""

    def __init__(self, routes: dict, delay: float = 0.0):
        self.routes, self.delay = routes, delay
        self.log: list[tuple[float, str, str]] = []
        self.in_flight = self.max_in_flight = 0
        self._served: dict = defaultdict(int)

    async def __call__(self, request: httpx.Request) -> httpx.Response:
        self.log.append((time.monotonic(), request.method, str(request.url)))
        self.in_flight += 1
        self.max_in_flight = max(self.max_in_flight, self.in_flight)
        try:
            if self.delay:
                await asyncio.sleep(self.delay)
            key = (request.method, str(request.url))
            answers = self.routes.get(key, self.routes.get(("*", str(request.url)), [404]))
            answers = answers if isinstance(answers, list) else [answers]
            i = min(self._served[key], len(answers) - 1)
            self._served[key] += 1
            answer = answers[i]
            if isinstance(answer, Exception):
                raise answer
            if isinstance(answer, tuple):
                status, headers = answer
                return httpx.Response(status, headers=headers, request=request)
            return httpx.Response(answer, request=request, text="body never read")
        finally:
            self.in_flight -= 1

    def transport(self) -> httpx.MockTransport:
        return httpx.MockTransport(self)

    def calls(self, url: str) -> list[str]:
        return [m for _, m, u in self.log if u == url]


def check(server: Server, urls: list[str], settings: links.Settings = FAST) -> dict[str, links.LinkResult]:
    places = {u: [links.Place("models/x.yaml", 1, 1, "url")] for u in urls}
    results = asyncio.run(links.check_urls(places, settings, server.transport()))
    return {r.url: r for r in results}


def test_ok_redirected_and_dead_links():
    server = Server({
        ("HEAD", "https://ok.example/"): 200,
        ("HEAD", "https://old.example/paper"): (301, {"Location": "https://new.example/paper"}),
        ("HEAD", "https://new.example/paper"): 200,
        ("HEAD", "https://gone.example/x"): 404,
        ("GET", "https://gone.example/x"): 404,
    })
    r = check(server, ["https://ok.example/", "https://old.example/paper", "https://gone.example/x"])
    assert r["https://ok.example/"].state == "ok"
    moved = r["https://old.example/paper"]
    assert (moved.state, moved.status, moved.final_url) == ("redirected", 301, "https://new.example/paper")
    dead = r["https://gone.example/x"]
    assert (dead.state, dead.status, dead.method) == ("dead", 404, "GET")
    assert server.calls("https://gone.example/x") == ["HEAD", "GET"]  # HEAD, then GET before giving up


@pytest.mark.parametrize("head_status", [405, 403, 501, 400])
def test_head_refused_falls_back_to_get(head_status: int):
    url = "https://nohead.example/page"
    server = Server({("HEAD", url): head_status, ("GET", url): 200})
    result = check(server, [url])[url]
    assert (result.state, result.method, result.status) == ("ok", "GET", 200)
    assert server.calls(url) == ["HEAD", "GET"]


def test_transient_errors_are_retried_then_succeed():
    url = "https://flaky.example/"
    server = Server({("HEAD", url): [503, httpx.ConnectError("connection reset"), 200]})
    result = check(server, [url])[url]
    assert (result.state, result.attempts) == ("ok", 3)
    assert server.calls(url) == ["HEAD", "HEAD", "HEAD"]


def test_persistent_connection_errors_make_a_dead_link():
    url = "https://down.example/"
    server = Server({("*", url): httpx.ConnectError("name or service not known")})
    result = check(server, [url])[url]
    assert result.state == "dead" and result.status is None
    assert "ConnectError" in result.error
    assert server.calls(url) == ["HEAD"] * 3 + ["GET"] * 3  # retries=2 for each method


def test_retry_after_is_honoured():
    url = "https://busy.example/"
    server = Server({("HEAD", url): [(429, {"Retry-After": "1"}), 200]})
    start = time.monotonic()
    result = check(server, [url])[url]
    assert result.state == "ok" and time.monotonic() - start >= 0.95


def test_redirect_loop_is_reported_dead():
    url = "https://loop.example/a"
    server = Server({("*", url): (302, {"Location": url})})
    result = check(server, [url])[url]
    assert result.state == "dead" and result.error == "too many redirects"


def test_concurrency_is_bounded():
    urls = [f"https://host{i}.example/" for i in range(12)]
    server = Server({("HEAD", u): 200 for u in urls}, delay=0.05)
    settings = links.Settings(concurrency=3, per_host_interval=0, retries=0, backoff=0)
    results = check(server, urls, settings)
    assert all(r.state == "ok" for r in results.values())
    assert server.max_in_flight == 3


def test_requests_to_one_host_are_spaced():
    urls = [f"https://arxiv.example/abs/{i}" for i in range(4)] + ["https://other.example/"]
    server = Server({("HEAD", u): 200 for u in urls})
    settings = links.Settings(concurrency=8, per_host_interval=0.2, retries=0, backoff=0)
    check(server, urls, settings)
    times = sorted(t for t, _, u in server.log if "arxiv.example" in u)
    gaps = [b - a for a, b in zip(times, times[1:])]
    assert len(gaps) == 3 and min(gaps) >= 0.19
    # another host is not held up by arxiv's queue
    other = next(t for t, _, u in server.log if "other.example" in u)
    assert other - times[0] < 0.1


def test_command_reports_file_line_and_field_and_exits_1_on_dead(tmp_path: Path):
    models = tmp_path / "models"
    models.mkdir()
    record = (FIXTURES / "catalogue" / "models" / "llava.yaml").read_text(encoding="utf-8")
    (models / "llava.yaml").write_text(record, encoding="utf-8")
    routes = {("HEAD", "https://llava-vl.github.io"): 200,
              ("HEAD", "https://mm-llms.github.io"): (301, {"Location": "https://mm-llms.github.io/"}),
              ("HEAD", "https://mm-llms.github.io/"): 200,
              ("HEAD", "https://arxiv.org/abs/2401.13601"): 200,
              ("HEAD", "https://arxiv.org/abs/2304.08485"): 404,
              ("GET", "https://arxiv.org/abs/2304.08485"): 404}
    server = Server(routes)
    out, err = io.StringIO(), io.StringIO()
    report = tmp_path / "links.json"
    rc = links.run([models / "llava.yaml"], tmp_path, FAST, out, err, report,
                   transport=server.transport())
    assert rc == 1
    lines = out.getvalue().splitlines()
    assert "models/llava.yaml:14:3: paper.url: dead link https://arxiv.org/abs/2304.08485 " \
           "(HTTP 404, GET, 2 attempt(s))" in lines
    assert "models/llava.yaml:62:3: sources.2.url: dead link https://arxiv.org/abs/2304.08485 " \
           "(HTTP 404, GET, 2 attempt(s))" in lines
    assert any(line.startswith("models/llava.yaml:55:3: sources.0.url: https://mm-llms.github.io "
                               "redirects (HTTP 301) to https://mm-llms.github.io/") for line in lines)
    assert err.getvalue().strip().endswith("4 URL(s): 2 ok, 1 redirected, 1 dead")
    saved = {r["url"]: r for r in json.loads(report.read_text(encoding="utf-8"))}
    assert saved["https://arxiv.org/abs/2304.08485"]["state"] == "dead"
    assert len(saved["https://arxiv.org/abs/2304.08485"]["places"]) == 2


def test_redirects_alone_pass_unless_asked(tmp_path: Path):
    record = tmp_path / "x.yaml"
    record.write_text("id: x\nsources:\n- url: http://a.example/\n", encoding="utf-8")
    server = Server({("HEAD", "http://a.example/"): (308, {"Location": "https://a.example/"}),
                     ("HEAD", "https://a.example/"): 200})
    args = ([record], tmp_path, FAST, io.StringIO(), io.StringIO())
    assert links.run(*args, transport=server.transport()) == 0
    assert links.run(*args, fail_on_redirect=True, transport=server.transport()) == 1


def test_only_http_urls_in_url_fields_are_collected(tmp_path: Path):
    record = tmp_path / "x.yaml"
    record.write_text("id: x\nname: https://not-a-link-field.example/\nnote: see https://n.example/\n"
                      "links:\n  code: https://github.com/x/y\n  demo: ftp://x.example/\n", encoding="utf-8")
    urls, problems = links.collect([record], tmp_path)
    assert not problems
    assert {u: [str(p) for p in ps] for u, ps in urls.items()} == {
        "https://github.com/x/y": ["x.yaml:5:3: links.code"]}
