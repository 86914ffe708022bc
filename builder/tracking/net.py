"""One small HTTP client for every fetch the project makes.

- timeouts on every request;
- retries with exponential backoff and jitter on 429, 5xx and connection errors/timeouts,
  honouring `Retry-After` (seconds or an HTTP date) and GitHub's rate-limit reset;
- a minimum interval between requests to one host (arXiv asks for one request every 3 s);
- an ETag / Last-Modified cache on disk: a 304 answer is served from the cache;
- bounded concurrency and a plain-text progress bar on stderr for long runs (`Fetcher.map`),
  where one item's failure is recorded and never loses the other items' results.

The clock, the sleep function and the random source are injectable, so tests never wait.
"""
from __future__ import annotations

import email.utils
import hashlib
import json
import os
import random
import sys
import tempfile
import threading
import time
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Callable, Iterable, TextIO, TypeVar

import httpx

USER_AGENT = "mmllm-atlas-tracker/0.1 (+https://github.com/mm-llms-atlas/mm-llms-atlas)"
RETRY_STATUSES = {429, 500, 502, 503, 504}

T = TypeVar("T")
R = TypeVar("R")


class FetchError(Exception):
    """A request that failed for good (after retries), with a one-line reason."""

    def __init__(self, url: str, reason: str):
        super().__init__(f"{url}: {reason}")
        self.url, self.reason = url, reason


@dataclass
class Response:
    """What callers see: the final status and body; `from_cache` after a 304."""
    url: str
    status: int
    text: str
    headers: dict[str, str] = field(default_factory=dict)
    from_cache: bool = False

    def json(self) -> Any:
        return json.loads(self.text)


def write_atomic(path: Path, text: str) -> None:
    """Write a file so readers see the old or the new content, never a half-written one."""
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    try:
        with os.fdopen(fd, "w", encoding="utf-8", newline="\n") as fh:
            fh.write(text)
            fh.flush()
            os.fsync(fh.fileno())
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


class HttpCache:
    """Validators and bodies of earlier 200 answers, one JSON file per URL."""

    def __init__(self, folder: Path | None):
        self.folder = folder
        self._lock = threading.Lock()

    def _path(self, key: str) -> Path:
        assert self.folder is not None
        return self.folder / (hashlib.sha256(key.encode()).hexdigest()[:32] + ".json")

    def get(self, key: str) -> dict | None:
        if self.folder is None:
            return None
        try:
            entry = json.loads(self._path(key).read_text(encoding="utf-8"))
        except (OSError, ValueError):
            return None  # a missing or damaged cache entry is just a miss
        return entry if isinstance(entry, dict) and entry.get("key") == key else None

    def put(self, key: str, response: httpx.Response) -> None:
        if self.folder is None:
            return
        etag, modified = response.headers.get("etag"), response.headers.get("last-modified")
        if not etag and not modified:
            return
        entry = {"key": key, "etag": etag, "last_modified": modified, "text": response.text}
        with self._lock:
            write_atomic(self._path(key), json.dumps(entry, ensure_ascii=False))


class Progress:
    """`label: 12/40 [#####.....]` on stderr; redrawn in place on a terminal, otherwise a
    line every tenth of the way. Silent for short runs."""

    def __init__(self, total: int, label: str, stream: TextIO | None = None, min_total: int = 5):
        self.total, self.label, self.done = total, label, 0
        self.stream = stream if stream is not None else sys.stderr
        self.enabled = total >= min_total
        self.tty = bool(getattr(self.stream, "isatty", lambda: False)())
        self._lock = threading.Lock()
        self._last_decile = -1

    def bar(self) -> str:
        width = 20
        filled = width * self.done // max(self.total, 1)
        return f"{self.label}: {self.done}/{self.total} [{'#' * filled}{'.' * (width - filled)}]"

    def step(self) -> None:
        with self._lock:
            self.done += 1
            if not self.enabled:
                return
            if self.tty:
                end = "\n" if self.done == self.total else ""
                self.stream.write("\r" + self.bar() + end)
            else:
                decile = 10 * self.done // max(self.total, 1)
                if decile == self._last_decile:
                    return
                self._last_decile = decile
                self.stream.write(self.bar() + "\n")
            self.stream.flush()


@dataclass
class Outcome:
    """The result of one item of `Fetcher.map`: a value or an error message, never both."""
    item: Any
    value: Any = None
    error: str | None = None

    @property
    def ok(self) -> bool:
        return self.error is None


def parse_retry_after(value: str | None, now: float) -> float | None:
    """Seconds to wait from a Retry-After header (delta-seconds or an HTTP date)."""
    if not value:
        return None
    value = value.strip()
    if value.isdigit():
        return float(value)
    try:
        when = email.utils.parsedate_to_datetime(value)
    except (TypeError, ValueError):
        return None
    return max(0.0, when.timestamp() - now)


class Fetcher:
    """GET with retries, rate limiting and a conditional-request cache."""

    def __init__(self, client: httpx.Client | None = None, *, transport: httpx.BaseTransport | None = None,
                 retries: int = 4, backoff: float = 1.0, max_backoff: float = 60.0,
                 max_wait: float = 300.0, timeout: float = 20.0,
                 min_interval: dict[str, float] | None = None, concurrency: int = 4,
                 cache: HttpCache | None = None, headers: dict[str, str] | None = None,
                 clock: Callable[[], float] = time.time, sleep: Callable[[float], None] = time.sleep,
                 rng: Callable[[], float] = random.random, progress_stream: TextIO | None = None):
        self.client = client or httpx.Client(
            transport=transport, timeout=httpx.Timeout(timeout, connect=min(timeout, 10.0)),
            follow_redirects=True, headers={"User-Agent": USER_AGENT, **(headers or {})})
        self.retries, self.backoff, self.max_backoff, self.max_wait = retries, backoff, max_backoff, max_wait
        self.min_interval = dict(min_interval or {})
        self.concurrency = max(1, concurrency)
        self.cache = cache or HttpCache(None)
        self.clock, self.sleep, self.rng = clock, sleep, rng
        self.progress_stream = progress_stream
        self._next_slot: dict[str, float] = {}
        self._host_locks: dict[str, threading.Lock] = {}
        self._locks_lock = threading.Lock()
        self.requests = 0  # requests sent, for reports and tests

    def close(self) -> None:
        self.client.close()

    def __enter__(self) -> Fetcher:
        return self

    def __exit__(self, *exc) -> None:
        self.close()

    # -- pacing ------------------------------------------------------------------------------

    def _wait_turn(self, host: str) -> None:
        interval = self.min_interval.get(host, 0.0)
        if interval <= 0:
            return
        with self._locks_lock:
            lock = self._host_locks.setdefault(host, threading.Lock())
        with lock:
            now = self.clock()
            slot = self._next_slot.get(host, now)
            if slot > now:
                self.sleep(slot - now)
                now = slot
            self._next_slot[host] = now + interval

    def _delay(self, attempt: int, response: httpx.Response | None) -> float:
        """How long to wait before retry number `attempt` (0-based)."""
        if response is not None:
            waited = parse_retry_after(response.headers.get("retry-after"), self.clock())
            if waited is None and response.headers.get("x-ratelimit-remaining") == "0":
                reset = response.headers.get("x-ratelimit-reset", "")
                waited = max(0.0, float(reset) - self.clock()) if reset.isdigit() else None
            if waited is not None:
                return waited
        base = min(self.max_backoff, self.backoff * (2 ** attempt))
        return base / 2 + self.rng() * base / 2  # "equal jitter": between half and all of it

    # -- requests ----------------------------------------------------------------------------

    def get(self, url: str, params: dict[str, Any] | None = None,
            headers: dict[str, str] | None = None) -> Response:
        """The final answer for `url`: 2xx (or 304 served from the cache) and 4xx other than
        429 are returned; 429, 5xx and transport errors are retried, then raise FetchError."""
        request = self.client.build_request("GET", url, params=params, headers=headers)
        key = str(request.url)
        host = request.url.host
        cached = self.cache.get(key)
        if cached:
            if cached.get("etag"):
                request.headers["If-None-Match"] = cached["etag"]
            if cached.get("last_modified"):
                request.headers["If-Modified-Since"] = cached["last_modified"]
        last_problem = "no attempt made"
        for attempt in range(self.retries + 1):
            self._wait_turn(host)
            response = None
            try:
                self.requests += 1
                response = self.client.send(request)
                response.read()
            except httpx.TimeoutException:
                last_problem = "timed out"
            except httpx.TransportError as exc:
                last_problem = f"connection failed ({type(exc).__name__}: {exc})"
            except httpx.RequestError as exc:  # undecodable body, too many redirects
                last_problem = f"request failed ({type(exc).__name__}: {exc})"
            else:
                status = response.status_code
                limited = status == 403 and response.headers.get("x-ratelimit-remaining") == "0"
                if status == 304 and cached:
                    return Response(key, 200, cached["text"], dict(response.headers), from_cache=True)
                if status not in RETRY_STATUSES and not limited:
                    if 200 <= status < 300:
                        self.cache.put(key, response)
                    return Response(key, status, response.text, dict(response.headers))
                last_problem = f"HTTP {status}" + (" (rate limited)" if limited else "")
            if attempt == self.retries:
                break
            wait = self._delay(attempt, response)
            if wait > self.max_wait:
                raise FetchError(key, f"{last_problem}; the server asks to wait {wait:.0f} s, "
                                      f"more than the {self.max_wait:.0f} s allowed")
            self.sleep(wait)
        raise FetchError(key, f"{last_problem} after {self.retries + 1} attempt(s)")

    def map(self, fn: Callable[[T], R], items: Iterable[T], label: str) -> list[Outcome]:
        """Apply `fn` to every item, at most `concurrency` at a time, with a progress bar.
        An exception in one item becomes that item's `Outcome.error`; order is kept."""
        items = list(items)
        progress = Progress(len(items), label, self.progress_stream)

        def one(item: T) -> Outcome:
            try:
                return Outcome(item, value=fn(item))
            except FetchError as exc:
                return Outcome(item, error=exc.reason)
            except Exception as exc:  # noqa: BLE001 - one bad item must not stop the run
                return Outcome(item, error=f"{type(exc).__name__}: {exc}")
            finally:
                progress.step()

        if self.concurrency == 1 or len(items) <= 1:
            return [one(i) for i in items]
        with ThreadPoolExecutor(max_workers=self.concurrency) as pool:
            return list(pool.map(one, items))
