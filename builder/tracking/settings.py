"""Where tracking fetches from and how patiently: settings read from the environment
(`MMLLM_*`, documented in README.md, Tracking), so a run can use a mirror, GitHub Enterprise
or a local test server. A bad value is a SettingError whose one-line message names it.
"""
from __future__ import annotations

import math
import os
from dataclasses import dataclass
from typing import Mapping
from urllib.parse import urlsplit


class SettingError(ValueError):
    """A variable with a value that cannot be used; the message is one line naming it."""


@dataclass(frozen=True)
class Settings:
    arxiv_api: str = "https://export.arxiv.org/api/query"  # MMLLM_ARXIV_API
    github_api: str = "https://api.github.com"  # MMLLM_GITHUB_API (Enterprise: https://HOST/api/v3)
    http_timeout: float = 20.0  # MMLLM_HTTP_TIMEOUT: seconds one request may take
    http_retries: int = 4  # MMLLM_HTTP_RETRIES: after 429, 5xx, timeouts, connection errors
    arxiv_interval: float = 3.0  # MMLLM_ARXIV_INTERVAL: seconds between arXiv requests (arXiv asks 3)

    @property
    def arxiv_host(self) -> str:
        return urlsplit(self.arxiv_api).hostname or ""

    @classmethod
    def from_env(cls, env: Mapping[str, str] | None = None) -> Settings:
        env = os.environ if env is None else env
        default = cls()

        def get(name: str) -> str | None:
            value = env.get(name, "").strip()
            return value or None

        return cls(
            arxiv_api=_url("MMLLM_ARXIV_API", get("MMLLM_ARXIV_API")) or default.arxiv_api,
            github_api=(_url("MMLLM_GITHUB_API", get("MMLLM_GITHUB_API")) or default.github_api).rstrip("/"),
            http_timeout=_number("MMLLM_HTTP_TIMEOUT", get("MMLLM_HTTP_TIMEOUT"), default.http_timeout,
                                 low=0.0, low_ok=False, example="20"),
            http_retries=int(_number("MMLLM_HTTP_RETRIES", get("MMLLM_HTTP_RETRIES"), default.http_retries,
                                     low=0, low_ok=True, example="4", whole=True, high=20)),
            arxiv_interval=_number("MMLLM_ARXIV_INTERVAL", get("MMLLM_ARXIV_INTERVAL"), default.arxiv_interval,
                                   low=0.0, low_ok=True, example="3"))


def _url(name: str, value: str | None) -> str | None:
    if value is None:
        return None
    parts = urlsplit(value)
    if parts.scheme not in ("http", "https") or not parts.hostname or any(c.isspace() for c in value):
        raise SettingError(f"{name}={value!r}: expected an http(s) URL such as "
                           f"{Settings().arxiv_api if 'ARXIV' in name else Settings().github_api}")
    return value


def _number(name: str, value: str | None, default: float, *, low: float, low_ok: bool, example: str,
            whole: bool = False, high: float | None = None) -> float:
    if value is None:
        return default
    try:
        number = int(value) if whole else float(value)
    except ValueError:
        number = math.nan
    bad = (math.isnan(number) or math.isinf(number) or number < low or (number == low and not low_ok)
           or (high is not None and number > high))
    if bad:
        what = "a whole number" if whole else "a number of seconds"
        bounds = f"{'>=' if low_ok else '>'} {low:g}" + (f" and <= {high:g}" if high is not None else "")
        raise SettingError(f"{name}={value!r}: expected {what} {bounds}, e.g. {example}")
    return number
