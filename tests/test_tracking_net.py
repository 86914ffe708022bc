"""The HTTP client: retries, backoff, Retry-After, pacing, cache, concurrency, atomic writes."""
from __future__ import annotations

import io
import os
import subprocess
import sys
import threading
import time

import httpx
import pytest

from builder.tracking import arxiv
from builder.tracking.net import (DEADLINE_REASON, STALE_AFTER, DeadlineReached, FetchError, HttpCache, Progress,
                                  parse_retry_after, remove_stale_temporaries, write_atomic)
from builder.tracking.settings import Settings
from tracking_support import Clock, Script, fetcher, ok, status

URL = "https://api.github.com/repos/example-org/alpha"


def test_200_returns_the_body():
    script = Script({"alpha": [ok("github_repo_alpha.json")]})
    resp = fetcher(script).get(URL)
    assert resp.status == 200 and resp.json()["full_name"] == "example-org/alpha"
    assert not resp.from_cache and len(script.requests) == 1


def test_etag_then_304_is_served_from_cache(tmp_path):
    script = Script({"alpha": [ok("github_repo_alpha.json", etag='W/"abc"'), status(304)]})
    f = fetcher(script, cache=HttpCache(tmp_path))
    first = f.get(URL)
    second = f.get(URL)
    assert script.requests[1].headers["if-none-match"] == 'W/"abc"'
    assert "if-none-match" not in script.requests[0].headers
    assert second.from_cache and second.status == 200 and second.text == first.text


def test_last_modified_is_sent_as_if_modified_since(tmp_path):
    stamp = "Wed, 21 Oct 2015 07:28:00 GMT"
    script = Script({"alpha": [ok("github_repo_alpha.json", **{"last-modified": stamp}), status(304)]})
    f = fetcher(script, cache=HttpCache(tmp_path))
    f.get(URL)
    assert f.get(URL).from_cache
    assert script.requests[1].headers["if-modified-since"] == stamp


def test_a_damaged_cache_entry_is_a_miss(tmp_path):
    script = Script({"alpha": [ok("github_repo_alpha.json", etag='"x"')]})
    f = fetcher(script, cache=HttpCache(tmp_path))
    f.get(URL)
    for path in tmp_path.iterdir():
        path.write_text("{not json", encoding="utf-8")
    f.get(URL)
    assert "if-none-match" not in script.requests[1].headers


def test_429_honours_retry_after_seconds():
    clock = Clock()
    script = Script({"alpha": [status(429, "github_rate_limited.json", **{"retry-after": "7"}),
                               ok("github_repo_alpha.json")]})
    assert fetcher(script, clock).get(URL).status == 200
    assert clock.sleeps == [7]


def test_retry_after_as_http_date():
    assert parse_retry_after("Tue, 14 Nov 2023 22:13:40 GMT", 1_700_000_000.0) == 20.0
    assert parse_retry_after("soon", 0) is None and parse_retry_after(None, 0) is None


def test_retry_after_beyond_the_limit_fails_at_once():
    clock = Clock()
    script = Script({"alpha": [status(429, **{"retry-after": "3600"})]})
    with pytest.raises(FetchError, match="asks to wait 3600 s"):
        fetcher(script, clock, max_wait=300).get(URL)
    assert clock.sleeps == [] and len(script.requests) == 1


def test_github_rate_limit_403_waits_for_the_reset():
    clock = Clock()
    reset = str(int(clock.now) + 42)
    script = Script({"alpha": [status(403, "github_rate_limited.json",
                                      **{"x-ratelimit-remaining": "0", "x-ratelimit-reset": reset}),
                               ok("github_repo_alpha.json")]})
    assert fetcher(script, clock).get(URL).status == 200
    assert clock.sleeps == [42]


def test_5xx_backs_off_exponentially_with_jitter():
    clock = Clock()
    script = Script({"alpha": [status(500), status(502), status(503), ok("github_repo_alpha.json")]})
    # rng 0.5: each wait is 3/4 of backoff * 2**attempt ("equal jitter")
    assert fetcher(script, clock, backoff=1.0).get(URL).status == 200
    assert clock.sleeps == [0.75, 1.5, 3.0]


def test_jitter_stays_between_half_and_all_of_the_backoff():
    for r, expected in [(0.0, [0.5, 1.0]), (0.999999, [1.0, 2.0])]:
        clock = Clock()
        script = Script({"alpha": [status(500), status(500), ok("github_repo_alpha.json")]})
        fetcher(script, clock, rng=lambda r=r: r).get(URL)
        assert clock.sleeps == pytest.approx(expected, abs=1e-5)


def test_backoff_is_capped():
    clock = Clock()
    script = Script({"alpha": [status(500)] * 6 + [ok("github_repo_alpha.json")]})
    fetcher(script, clock, retries=6, backoff=10, max_backoff=30, rng=lambda: 1.0).get(URL)
    assert max(clock.sleeps) == 30


def test_persistent_500_raises_after_the_retries():
    clock = Clock()
    script = Script({"alpha": [status(500)]})
    with pytest.raises(FetchError, match=r"HTTP 500 after 3 attempt\(s\)"):
        fetcher(script, clock, retries=2).get(URL)
    assert len(script.requests) == 3 and len(clock.sleeps) == 2


def test_timeout_is_retried():
    script = Script({"alpha": [httpx.ReadTimeout("fixture timeout"), ok("github_repo_alpha.json")]})
    assert fetcher(script).get(URL).status == 200


def test_connection_errors_are_retried_then_reported():
    script = Script({"alpha": [httpx.ConnectError("fixture: connection refused")]})
    with pytest.raises(FetchError, match="connection failed"):
        fetcher(script, retries=1).get(URL)
    assert len(script.requests) == 2


def test_undecodable_bodies_are_failures_not_tracebacks():
    def bad_gzip(request):
        return httpx.Response(200, content=b"not gzip", headers={"content-encoding": "gzip"})
    script = Script({"alpha": [bad_gzip]})
    with pytest.raises(FetchError, match="request failed"):
        fetcher(script, retries=1).get(URL)


def test_404_is_an_answer_not_retried():
    script = Script({"alpha": [status(404, "github_not_found.json")]})
    assert fetcher(script).get(URL).status == 404
    assert len(script.requests) == 1


def test_min_interval_paces_one_host_but_not_others():
    clock = Clock()
    script = Script({"export.arxiv.org": [ok("arxiv_id_list.xml")], "api.github.com": [ok("github_repo_alpha.json")]})
    f = fetcher(script, clock, min_interval={"export.arxiv.org": 3.0})
    for _ in range(3):
        f.get("https://export.arxiv.org/api/query")
        f.get(URL)
    assert clock.sleeps == [3.0, 3.0]


def test_map_bounds_concurrency_and_keeps_order():
    active, peak, lock = [0], [0], threading.Lock()

    def slow(request):
        with lock:
            active[0] += 1
            peak[0] = max(peak[0], active[0])
        time.sleep(0.02)
        with lock:
            active[0] -= 1
        return httpx.Response(200, json={"full_name": "x", "n": str(request.url)})

    f = fetcher(Script({"n=": [slow]}), concurrency=3)
    outcomes = f.map(lambda i: f.get(URL, params={"n": i}).json()["n"], range(12), "test")
    assert peak[0] <= 3 and peak[0] > 1
    assert [o.value.endswith(f"n={i}") for i, o in enumerate(outcomes)] == [True] * 12


def test_map_keeps_the_others_when_one_item_fails():
    script = Script({"bad": [status(500)], "good": [ok("github_repo_alpha.json")]})
    f = fetcher(script, retries=1)
    outcomes = f.map(lambda name: f.get(f"https://api.github.com/{name}").status, ["good", "bad", "good2"], "t")
    assert [o.ok for o in outcomes] == [True, False, True]
    assert "HTTP 500" in outcomes[1].error and outcomes[2].value == 200


def test_progress_prints_plain_lines_when_not_a_terminal():
    out = io.StringIO()
    progress = Progress(20, "GitHub", out)
    for _ in range(20):
        progress.step()
    lines = out.getvalue().splitlines()
    assert lines[-1] == "GitHub: 20/20 [####################]"
    assert 5 <= len(lines) <= 11  # about one line per tenth, not one per item


def test_progress_is_silent_for_short_runs():
    out = io.StringIO()
    Progress(2, "x", out).step()
    assert out.getvalue() == ""


def test_write_atomic_replaces_or_keeps_the_old_file(tmp_path, monkeypatch):
    target = tmp_path / "meta" / "github.json"
    write_atomic(target, "one")
    write_atomic(target, "two")
    assert target.read_text() == "two"

    def broken_replace(src, dst):
        raise OSError("fixture: disk full")

    monkeypatch.setattr(os, "replace", broken_replace)
    with pytest.raises(OSError):
        write_atomic(target, "three")
    assert target.read_text() == "two"
    assert [p.name for p in target.parent.iterdir()] == ["github.json"]  # no temp file left


@pytest.mark.parametrize("umask", [0o022, 0o027])
def test_write_atomic_gives_the_usual_permissions(tmp_path, umask):
    old = os.umask(umask)
    try:
        write_atomic(tmp_path / "arxiv.json", "{}")
    finally:
        os.umask(old)
    assert (tmp_path / "arxiv.json").stat().st_mode & 0o777 == 0o666 & ~umask


def test_stale_temporaries_are_removed_and_live_ones_kept(tmp_path):
    dead = subprocess.Popen([sys.executable, "-c", "pass"])
    dead.wait()
    stale = tmp_path / f".arxiv.json.{dead.pid}.0123456789abcdef.tmp"  # its writer is gone
    mine = tmp_path / f".github.json.{os.getpid()}.0123456789abcdef.tmp"  # this process is writing it
    old = tmp_path / ".arxiv.json.k3j4h5.tmp"  # an older naming, left long ago
    fresh = tmp_path / ".drafts.yaml.x1y2z3.tmp"  # an older naming, recent: may be in use
    record = tmp_path / "arxiv.json"
    for path in (stale, mine, old, fresh, record):
        path.write_text("x")
    os.utime(old, (time.time() - STALE_AFTER - 60,) * 2)
    removed = remove_stale_temporaries(tmp_path)
    assert sorted(removed) == sorted([stale, old])
    assert sorted(p.name for p in tmp_path.iterdir()) == sorted([mine.name, fresh.name, record.name])
    assert remove_stale_temporaries(tmp_path / "absent") == []


def test_after_the_deadline_no_request_starts():
    clock = Clock()
    script = Script({"alpha": [status(503)]})
    f = fetcher(script, clock, retries=4)  # backoff 0.75, 1.5, 3, 6 s (rng 0.5)
    f.set_deadline(3)
    with pytest.raises(DeadlineReached) as err:
        f.get(URL)
    # two waits fit (0.75 + 1.5); the third (3 s) would end past the deadline: not slept
    assert clock.sleeps == [0.75, 1.5] and len(script.requests) == 3
    assert err.value.reason == f"{DEADLINE_REASON} (last attempt: HTTP 503)"
    clock.sleep(1)  # past the deadline now
    outcomes = f.map(lambda i: f.get(URL), ["a", "b"], "x")
    assert [(o.skipped, o.error) for o in outcomes] == [(True, DEADLINE_REASON)] * 2
    assert len(script.requests) == 3


def test_a_request_cannot_outlast_the_deadline():
    seen = []

    def answer(request):
        seen.append(request.extensions["timeout"])
        return httpx.Response(200, text="{}")

    clock = Clock()
    f = fetcher(Script({"alpha": [answer]}), clock, timeout=20)
    f.get(URL)
    f.set_deadline(5)
    f.get(URL)
    assert seen[0]["read"] == 20 and seen[1]["read"] == 5  # the timeout shrinks to what is left


def test_connection_errors_can_fail_at_once():
    script = Script({"alpha": [httpx.ConnectError("fixture: no network")]})
    with pytest.raises(FetchError, match="connection failed"):
        fetcher(script, retry_connection_errors=False).get(URL)
    assert len(script.requests) == 1


def test_settings_from_the_environment():
    assert Settings.from_env({}) == Settings()
    s = Settings.from_env({"MMLLM_ARXIV_API": "http://127.0.0.1:8080/api/query",
                           "MMLLM_GITHUB_API": "https://ghe.example.org/api/v3/", "MMLLM_HTTP_TIMEOUT": "2.5",
                           "MMLLM_HTTP_RETRIES": "0", "MMLLM_ARXIV_INTERVAL": "0"})
    assert s == Settings("http://127.0.0.1:8080/api/query", "https://ghe.example.org/api/v3", 2.5, 0, 0.0)
    assert s.arxiv_host == "127.0.0.1" and arxiv.fetcher_settings(s) == {"127.0.0.1": 0.0}
    assert arxiv.fetcher_settings() == {"export.arxiv.org": 3.0}
