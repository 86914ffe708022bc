"""`mmllm check-links`: is every URL in the records still alive, and where does it lead?

Slow and at the mercy of other people's servers, so it runs on a schedule
(.github/workflows/links.yml), never on pull requests. Politeness and robustness:

- bounded concurrency overall, and a minimum interval between two requests to one host;
- HEAD first; when a server refuses HEAD (405, 403, 404, 501 ...) the same URL is tried with
  a GET whose body is never read;
- retries with exponential backoff on connection errors, timeouts, 429 and 5xx (honouring a
  short Retry-After);
- redirects are followed and reported with their final address, so records can be updated.

Each finding names the record file, line, column and field of every place the URL appears.
"""
from __future__ import annotations

import asyncio
import email.utils
import json
import re
import time
from collections import defaultdict
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any, Callable
from urllib.parse import urlsplit

import httpx

from schema.loader import Document, Problem, read_file, shown_path

URL_KEYS = {"url", "source", "code", "project", "weights", "demo", "homepage"}
USER_AGENT = "mmllm-atlas-linkcheck/0.1 (+https://github.com/mm-llms-atlas/mm-llms-atlas)"
RETRY_STATUS = {429, 500, 502, 503, 504}
MAX_RETRY_AFTER = 30.0


@dataclass(frozen=True)
class Place:
    path: str
    line: int
    column: int
    field: str

    def __str__(self) -> str:
        return f"{self.path}:{self.line}:{self.column}: {self.field}"


@dataclass
class LinkResult:
    url: str
    state: str  # "ok", "redirected" or "dead"
    status: int | None = None  # HTTP status of the last response, None if none came
    final_url: str | None = None  # where a redirect ends
    method: str = "HEAD"
    attempts: int = 1
    error: str | None = None
    places: list[Place] = field(default_factory=list)

    def describe(self) -> str:
        if self.state == "redirected":
            return f"{self.url} redirects ({self.status_text()}) to {self.final_url}; " \
                   "use the final address if it is the same page"
        if self.state == "dead":
            why = self.error or f"HTTP {self.status}"
            return f"dead link {self.url} ({why}, {self.method}, {self.attempts} attempt(s))"
        return f"{self.url} ok"

    def status_text(self) -> str:
        return f"HTTP {self.status}" if self.status else "no response"


# -- collecting URLs ---------------------------------------------------------------------------

def _walk(data: Any, loc: tuple = ()):
    if isinstance(data, dict):
        for key, value in data.items():
            yield from _walk(value, loc + (key,))
    elif isinstance(data, list):
        for i, value in enumerate(data):
            yield from _walk(value, loc + (i,))
    else:
        yield loc, data


def urls_in(doc: Document) -> list[tuple[str, Place]]:
    found = []
    for loc, value in _walk(doc.data):
        names = [p for p in loc if isinstance(p, str)]
        if names and names[-1] in URL_KEYS and isinstance(value, str) \
                and re.match(r"^https?://", value):
            line, col = doc.position(loc)
            found.append((value, Place(doc.path, line, col, ".".join(map(str, loc)))))
    return found


def collect(files: list[Path], root: Path) -> tuple[dict[str, list[Place]], list[Problem]]:
    """URL -> every place it appears, over the given record files; unreadable files as Problems."""
    urls: dict[str, list[Place]] = defaultdict(list)
    problems = []
    for path in files:
        shown = shown_path(path, root)
        doc = read_file(path, shown)
        if isinstance(doc, Problem):
            problems.append(doc)
            continue
        for url, place in urls_in(doc):
            urls[url].append(place)
    return dict(urls), problems


# -- checking ----------------------------------------------------------------------------------

@dataclass
class Settings:
    concurrency: int = 8
    per_host_interval: float = 1.0  # seconds between two requests to the same host
    retries: int = 2  # extra attempts after the first
    backoff: float = 1.0  # first retry waits this long, then doubles
    timeout: float = 20.0


class Checker:
    def __init__(self, client: httpx.AsyncClient, settings: Settings = Settings(),
                 clock: Callable[[], float] = time.monotonic):
        self.client, self.settings, self.clock = client, settings, clock
        self._slots = asyncio.Semaphore(settings.concurrency)
        self._host_locks: dict[str, asyncio.Lock] = defaultdict(asyncio.Lock)
        self._host_last: dict[str, float] = {}

    async def _request(self, method: str, url: str) -> httpx.Response:
        """One request, after the host's interval has passed; the body is never read."""
        host = urlsplit(url).hostname or ""
        async with self._host_locks[host]:
            last = self._host_last.get(host)
            if last is not None:
                wait = last + self.settings.per_host_interval - self.clock()
                if wait > 0:
                    await asyncio.sleep(wait)
            try:
                async with self._slots:
                    request = self.client.build_request(method, url)
                    response = await self.client.send(request, stream=True, follow_redirects=True)
                    await response.aclose()
                    return response
            finally:
                self._host_last[host] = self.clock()

    async def _with_retries(self, method: str, url: str, result: LinkResult) -> httpx.Response | None:
        delay = self.settings.backoff
        for attempt in range(self.settings.retries + 1):
            result.attempts = attempt + 1
            try:
                response = await self._request(method, url)
            except httpx.TooManyRedirects:
                result.error = "too many redirects"
                return None
            except (httpx.TransportError, httpx.InvalidURL) as exc:
                result.error = f"{type(exc).__name__}: {exc}" if str(exc) else type(exc).__name__
                response = None
            else:
                result.error = None
                if response.status_code not in RETRY_STATUS:
                    return response
            if attempt == self.settings.retries:
                return response
            wait = delay
            if response is not None and (after := _retry_after(response)) is not None:
                wait = min(max(after, delay), MAX_RETRY_AFTER)
            await asyncio.sleep(wait)
            delay *= 2
        return None

    async def check(self, url: str) -> LinkResult:
        result = LinkResult(url, "dead")
        response = await self._with_retries("HEAD", url, result)
        if response is None or response.status_code >= 400:
            # many servers refuse or mishandle HEAD: ask again with GET before calling it dead
            head_attempts = result.attempts
            result.method = "GET"
            response = await self._with_retries("GET", url, result)
            result.attempts += head_attempts
        if response is None:
            return result
        result.status = response.status_code
        if response.status_code >= 400:
            return result
        if response.history:
            result.state = "redirected"
            result.status = response.history[0].status_code
            result.final_url = str(response.url)
        else:
            result.state = "ok"
        return result

    async def check_all(self, urls: list[str]) -> list[LinkResult]:
        return list(await asyncio.gather(*(self.check(u) for u in urls)))


def _retry_after(response: httpx.Response) -> float | None:
    value = response.headers.get("retry-after")
    if not value:
        return None
    if value.strip().isdigit():
        return float(value)
    try:
        when = email.utils.parsedate_to_datetime(value)
    except (TypeError, ValueError):
        return None
    return max(0.0, when.timestamp() - time.time())


async def check_urls(urls: dict[str, list[Place]], settings: Settings = Settings(),
                     transport: httpx.AsyncBaseTransport | None = None) -> list[LinkResult]:
    async with httpx.AsyncClient(transport=transport, timeout=settings.timeout,
                                 headers={"User-Agent": USER_AGENT},
                                 max_redirects=10) as client:
        results = await Checker(client, settings).check_all(sorted(urls))
    for r in results:
        r.places = urls[r.url]
    return results


# -- the command -------------------------------------------------------------------------------

def run(files: list[Path], root: Path, settings: Settings, out, err, json_path: Path | None = None,
        fail_on_redirect: bool = False, transport: httpx.AsyncBaseTransport | None = None) -> int:
    urls, problems = collect(files, root)
    for problem in problems:
        print(problem, file=err)
    print(f"checking {len(urls)} URL(s) from {len(files)} record file(s)", file=err)
    results = asyncio.run(check_urls(urls, settings, transport))
    dead = [r for r in results if r.state == "dead"]
    moved = [r for r in results if r.state == "redirected"]
    for r in dead + moved:
        for place in r.places:
            print(f"{place}: {r.describe()}", file=out)
    print(f"{len(results)} URL(s): {len(results) - len(dead) - len(moved)} ok, "
          f"{len(moved)} redirected, {len(dead)} dead", file=err)
    if json_path:
        json_path.write_text(json.dumps([asdict(r) for r in results], indent=2) + "\n",
                             encoding="utf-8")
    return 1 if dead or problems or (fail_on_redirect and moved) else 0
