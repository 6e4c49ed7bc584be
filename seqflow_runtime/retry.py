"""When and how long to wait before sending a failed request again.

Network errors, 429 and 5xx answers are retried with exponential backoff and
full jitter (a random wait between 0 and ``initial_delay * 2**n``, capped by
``max_delay``), or after the server's ``Retry-After`` (seconds or an HTTP
date) when it gives one. A ``Retry-After`` longer than ``max_delay`` is not
waited for: the answer goes to the script, which can wait durably with a timer.

Methods that are not idempotent (POST, PATCH, anything non-standard) are
retried only when the request carries an ``Idempotency-Key``, or when the
connection was never made (nothing reached the server).

A script narrows the performer's policy for one request with the fetch init
option ``retry: {maxAttempts: n, maxDelay: ms}`` (``retry: false`` is one
attempt); it can never widen it.
"""

from __future__ import annotations

import math
import random
from dataclasses import dataclass, field, replace
from datetime import timezone
from email.utils import parsedate_to_datetime
from typing import Any, Mapping

#: Methods that mean the same when sent twice (RFC 9110 9.2.2).
IDEMPOTENT_METHODS = frozenset({"GET", "HEAD", "OPTIONS", "PUT", "DELETE", "TRACE"})


def _retryable_statuses() -> frozenset[int]:
    return frozenset({429, *range(500, 600)})


@dataclass(frozen=True)
class RetryPolicy:
    """How often (``max_attempts`` sends in all) and how patiently (seconds) a request is retried."""

    max_attempts: int = 3
    initial_delay: float = 0.5
    max_delay: float = 30.0
    retry_statuses: frozenset[int] = field(default_factory=_retryable_statuses)

    def __post_init__(self) -> None:
        if isinstance(self.max_attempts, bool) or not isinstance(self.max_attempts, int) or self.max_attempts < 1:
            raise ValueError(f"max_attempts must be an integer of at least 1, got {self.max_attempts!r}")
        for name in ("initial_delay", "max_delay"):
            value = getattr(self, name)
            if isinstance(value, bool) or not isinstance(value, (int, float)) or not 0 <= value < math.inf:
                raise ValueError(f"{name} must be a finite number of seconds >= 0, got {value!r}")

    def narrowed(self, option: Mapping[str, Any] | None) -> RetryPolicy:
        """This policy narrowed by a request's ``retry`` option (``maxAttempts``, ``maxDelay`` in ms)."""
        if not option:
            return self
        attempts = option.get("maxAttempts", self.max_attempts)
        delay = option.get("maxDelay")
        return replace(self, max_attempts=min(self.max_attempts, int(attempts)),
                       max_delay=self.max_delay if delay is None else min(self.max_delay, float(delay) / 1000))

    def backoff(self, retry: int, rng: random.Random) -> float:
        """Seconds to wait before retry number ``retry`` (1-based): full jitter."""
        ceiling = min(self.max_delay, self.initial_delay * 2.0 ** min(retry - 1, 64))
        return rng.uniform(0.0, ceiling)


def retry_after(value: str | None, now: float) -> float | None:
    """Seconds a ``Retry-After`` header asks to wait (delay-seconds or an HTTP date); ``None`` if absent or bad."""
    if value is None:
        return None
    text = value.strip()
    if text.isdigit():
        return float(text)
    try:
        when = parsedate_to_datetime(text)
    except (TypeError, ValueError, IndexError):
        return None
    if when.tzinfo is None:
        when = when.replace(tzinfo=timezone.utc)
    return max(0.0, when.timestamp() - now)
