"""One small HTTP client for every fetch the project makes.

- timeouts on every request;
- retries with exponential backoff and jitter on 429, 5xx and connection errors/timeouts,
  honouring `Retry-After` (seconds or an HTTP date) and GitHub's rate-limit reset;
- a minimum interval between requests to one host (arXiv asks for one request every 3 s);
- an ETag / Last-Modified cache on disk: a 304 answer is served from the cache;
- bounded concurrency and a plain-text progress bar on stderr for long runs (`Fetcher.map`),
  where one item's failure is recorded and never loses the other items' results;
- an optional deadline for the whole run: after it no request starts, waits are cut short,
  and the items not fetched are reported as such (`DEADLINE_REASON`).

The clock, the sleep function and the random source are injectable, so tests never wait.
"""
from __future__ import annotations

import email.utils
import hashlib
import json
import os
import random
import re
import secrets
import sys
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


DEADLINE_REASON = "not fetched: the run's deadline was reached"


class DeadlineReached(FetchError):
    """The run's deadline passed before this request could (finish or) start."""


# `.<name>.<pid>.<random>.tmp`, the temporary file of write_atomic
_TEMPORARY = re.compile(r"^\..+\.(?P<pid>\d+)\.[0-9a-f]{16}\.tmp$")
STALE_AFTER = 3600.0  # seconds; an older temporary file is stale whoever made it


def write_atomic(path: Path, text: str) -> None:
    """Write a file so readers see the old or the new content, never a half-written one.
    The file gets the usual permissions (0666 less the umask), as `open()` would give it."""
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.parent / f".{path.name}.{os.getpid()}.{secrets.token_hex(8)}.tmp"
    fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o666)
    try:
        with os.fdopen(fd, "w", encoding="utf-8", newline="\n") as fh:
            fh.write(text)
            fh.flush()
            os.fsync(fh.fileno())
        os.replace(tmp, path)
    except BaseException:
        tmp.unlink(missing_ok=True)
        raise


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except (ProcessLookupError, OverflowError):
        return False
    except PermissionError:
        return True  # another user's process
    return True


def remove_stale_temporaries(folder: Path, now: float | None = None) -> list[Path]:
    """Delete the temporary files a killed run of write_atomic left in `folder`: those whose
    process is gone, and any `.*.tmp` older than STALE_AFTER. Returns what was deleted."""
    removed: list[Path] = []
    now = time.time() if now is None else now
    try:
        candidates = [p for p in folder.iterdir() if p.name.startswith(".") and p.name.endswith(".tmp")]
    except OSError:
        return removed  # no folder yet: nothing to clean
    for path in candidates:
        match = _TEMPORARY.match(path.name)
        try:
            stale = ((match is not None and int(match["pid"]) != os.getpid() and not _alive(int(match["pid"])))
                     or now - path.stat().st_mtime > STALE_AFTER)
            if stale and path.is_file():
                path.unlink()
                removed.append(path)
        except OSError:
            continue  # gone meanwhile, or not ours to delete
    return removed


class HttpCache:
    """Validators and bodies of earlier 200 answers, one JSON file per URL."""

    def __init__(self, folder: Path | None):
        self.folder = folder
        self._lock = threading.Lock()
        if folder is not None:
            remove_stale_temporaries(folder)

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
    skipped: bool = False  # not (fully) fetched because the run's deadline passed

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
                 max_wait: float = 300.0, timeout: float = 20.0, retry_connection_errors: bool = True,
                 min_interval: dict[str, float] | None = None, concurrency: int = 4,
                 cache: HttpCache | None = None, headers: dict[str, str] | None = None,
                 clock: Callable[[], float] = time.time, sleep: Callable[[float], None] = time.sleep,
                 rng: Callable[[], float] = random.random, progress_stream: TextIO | None = None):
        self.client = client or httpx.Client(
            transport=transport, timeout=httpx.Timeout(timeout, connect=min(timeout, 10.0)),
            follow_redirects=True, headers={"User-Agent": USER_AGENT, **(headers or {})})
        self.retries, self.backoff, self.max_backoff, self.max_wait = retries, backoff, max_backoff, max_wait
        self.timeout = timeout
        # False where an unreachable host should fail at once (`mmllm new` when offline)
        self.retry_connection_errors = retry_connection_errors
        self.deadline: float | None = None  # clock time after which no request starts
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

    def set_deadline(self, seconds: float | None) -> None:
        """Stop starting requests `seconds` from now (None: no deadline)."""
        self.deadline = None if seconds is None else self.clock() + seconds

    def remaining(self) -> float | None:
        return None if self.deadline is None else self.deadline - self.clock()

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
            self._check_deadline(key, last_problem if attempt else None)
            remaining = self.remaining()
            if remaining is not None and remaining < self.timeout:  # a hang ends at the deadline
                request.extensions["timeout"] = httpx.Timeout(remaining, connect=min(remaining, 10.0)).as_dict()
            response = None
            try:
                self.requests += 1
                response = self.client.send(request)
                response.read()
            except httpx.TimeoutException:
                last_problem = "timed out"
            except httpx.TransportError as exc:
                last_problem = f"connection failed ({type(exc).__name__}: {exc})"
                if not self.retry_connection_errors:
                    raise FetchError(key, last_problem) from None
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
            remaining = self.remaining()
            if remaining is not None and wait >= remaining:
                raise DeadlineReached(key, f"{DEADLINE_REASON} (last attempt: {last_problem})")
            self.sleep(wait)
        raise FetchError(key, f"{last_problem} after {self.retries + 1} attempt(s)")

    def _check_deadline(self, key: str, last_problem: str | None) -> None:
        remaining = self.remaining()
        if remaining is not None and remaining <= 0:
            raise DeadlineReached(key, DEADLINE_REASON + (f" (last attempt: {last_problem})" if last_problem else ""))

    def map(self, fn: Callable[[T], R], items: Iterable[T], label: str) -> list[Outcome]:
        """Apply `fn` to every item, at most `concurrency` at a time, with a progress bar.
        An exception in one item becomes that item's `Outcome.error`; order is kept."""
        items = list(items)
        progress = Progress(len(items), label, self.progress_stream)

        def one(item: T) -> Outcome:
            try:
                remaining = self.remaining()
                if remaining is not None and remaining <= 0:
                    return Outcome(item, error=DEADLINE_REASON, skipped=True)
                return Outcome(item, value=fn(item))
            except DeadlineReached as exc:
                return Outcome(item, error=exc.reason, skipped=True)
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
