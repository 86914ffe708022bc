"""Helpers for the tracking tests: a scripted MockTransport, a fake clock, a tiny project.

No test touches the network: every request goes to `Script`, which answers from the
fixtures in tests/fixtures/tracking/ (synthetic content in the APIs' real shapes).
"""
from __future__ import annotations

import threading
from pathlib import Path
from typing import Callable

import httpx

from builder.tracking.net import Fetcher

FIX = Path(__file__).parent / "fixtures" / "tracking"


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
