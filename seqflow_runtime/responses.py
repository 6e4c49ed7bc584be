"""Responses handed to ``resume``: validated, normalised to JSON values and copied once.

The log stores exactly what the program was given, and a cold resume reads
that back from storage as JSON. So a response is turned into JSON values
*before* the program sees it, by JSON's own rules (``{None: 1, True: 2}``
has the keys ``"null"`` and ``"true"``, tuples become lists): hot and cold
resumes then agree, and the log never aliases the caller's dict.

What cannot be JSON, or cannot be a JavaScript value without changing, is
refused with :class:`~seqflow_runtime.errors.BadArgumentError` naming the
problem: unknown response keys (standard dialect), non-JSON objects, NaN and
infinities, integers beyond a double's exact range (±2**53), nesting deeper
than :data:`MAX_DEPTH`, invalid ``bodyBase64``. A response over
``max_response_bytes`` is not the caller's mistake to repeat: it reaches the
program as a failed fetch (``TypeError`` naming the limit), logged as such.
"""

from __future__ import annotations

import base64
import binascii
import json
import math
from typing import Any, Mapping

from .errors import BadArgumentError

#: Fields of a response the runtime understands.
RESPONSE_KEYS = frozenset({"status", "statusText", "headers", "data", "body", "bodyBase64", "error", "success", "url",
                           "redirected"})
#: Accepted beside them: ``id`` names the request answered; ``timestamp`` comes with the seeds' envelopes;
#: ``errorCode`` is the performer's reason for an ``error`` (alone it does not make a dict an envelope).
ENVELOPE_KEYS = RESPONSE_KEYS | {"id", "timestamp", "errorCode"}
#: Response fields the log keeps.
_KEPT_KEYS = ("status", "statusText", "headers", "data", "body", "bodyBase64", "error", "errorCode", "url",
              "redirected")
#: Deepest nesting of arrays/objects accepted in a response (JSON.parse in engines
#: copes with a few thousand; the runtime converts recursively).
MAX_DEPTH = 500
#: Largest integer a double holds exactly; beyond it JavaScript would silently round.
MAX_SAFE = 2**53


def request_named(response: Any, lenient: bool) -> str | None:
    """The request id a response names (its ``id``), or ``None`` for an unnamed answer.

    In the sequential dialect (``lenient``) a dict without any response key is
    raw data, so an ``id`` there is data, not a request name.
    """
    if not isinstance(response, Mapping) or "id" not in response:
        return None
    if lenient and not RESPONSE_KEYS & set(response):
        return None
    named = response["id"]
    if not isinstance(named, str):
        raise BadArgumentError(f"a response's id names a request and must be a string, got {named!r}")
    return named


def normalise_response(response: Any, lenient: bool, max_bytes: int) -> dict[str, Any]:
    """The response as the log stores it and the program receives it (a fresh JSON copy).

    ``lenient`` (the sequential dialect) accepts raw data: anything that is not
    a dict with at least one response key is the response's ``data``.
    """
    if isinstance(response, Mapping) and (RESPONSE_KEYS & set(response) or not lenient):
        envelope = _envelope(response)
    elif not lenient:
        raise BadArgumentError("a response must be a dict (status, headers, data, body, error, ...)")
    else:
        envelope = {"data": response}
    try:
        text = _json_text(envelope, max_bytes)
        size = len(text.encode("utf-8", "surrogatepass"))
    except _TooLarge:
        size = max_bytes + 1
    if size > max_bytes:
        # The program asked for it and can handle a failure; the caller could only repeat it.
        return {"error": f"the response is over max_response_bytes ({max_bytes} bytes)"}
    copied: dict[str, Any] = json.loads(text)
    return copied


def _envelope(response: Mapping[Any, Any]) -> dict[str, Any]:
    unknown = [k for k in response if k not in ENVELOPE_KEYS]
    if unknown:
        known = ", ".join(sorted(ENVELOPE_KEYS))
        raise BadArgumentError(f"unknown response key(s) {', '.join(map(repr, unknown))}; the known keys are {known}")
    envelope = {k: response[k] for k in _KEPT_KEYS if k in response and response[k] is not None}
    status = envelope.get("status", 200)
    if not isinstance(status, int) or isinstance(status, bool) or not 100 <= status <= 599:
        raise BadArgumentError(f"response status must be an integer from 100 to 599, got {status!r}")
    if response.get("success") is False and "error" not in envelope and "status" not in response:
        envelope["status"] = 500
    if "headers" in envelope:
        envelope["headers"] = _headers(envelope["headers"])
    if not isinstance(envelope.get("redirected", False), bool):
        raise BadArgumentError("response redirected must be a boolean (whether redirects were followed)")
    for key in ("statusText", "body", "bodyBase64", "error", "errorCode", "url"):
        if key in envelope and not isinstance(envelope[key], str):
            raise BadArgumentError(f"response {key} must be a string")
    if "bodyBase64" in envelope:
        try:
            base64.b64decode(envelope["bodyBase64"], validate=True)
        except (binascii.Error, ValueError):
            raise BadArgumentError("response bodyBase64 is not valid base64") from None
    return envelope


def _headers(headers: Any) -> dict[str, str]:
    if not isinstance(headers, Mapping):
        raise BadArgumentError("response headers must be a mapping of names to values")
    out: dict[str, str] = {}
    for name, value in headers.items():
        if not isinstance(name, str):
            raise BadArgumentError(f"response header names must be strings, got {name!r}")
        if isinstance(value, bool) or not isinstance(value, (str, int, float)) or value != value \
                or value in (math.inf, -math.inf):
            raise BadArgumentError(f"response header {name!r} must be a string or a finite number, got {value!r}")
        out[name] = value if isinstance(value, str) else json.dumps(value)
    return out


class _TooLarge(Exception):
    """Raised while checking a value that cannot fit in ``max_bytes`` of JSON."""


def _json_text(value: Any, max_bytes: int) -> str:
    """``value`` as JSON text after the checks JSON's encoder does not make."""
    _check_values(value, max_bytes)
    try:
        return json.dumps(value, ensure_ascii=False, allow_nan=False, separators=(",", ":"))
    except (TypeError, ValueError) as exc:
        raise BadArgumentError(f"response must be JSON data: {exc}") from None


def _check_values(value: Any, max_bytes: int) -> None:
    """Depth, cycle and number checks, iteratively (a deep value must not exhaust Python's stack).

    Every JSON value takes at least one byte, so more than ``max_bytes``
    values (a shared sub-list repeated exponentially) is over the size limit
    without encoding it.
    """
    on_path: set[int] = set()
    stack: list[tuple[Any, int, bool]] = [(value, 0, False)]
    visited = 0
    while stack:
        item, depth, leaving = stack.pop()
        if leaving:
            on_path.discard(id(item))
            continue
        visited += 1
        if visited > max_bytes:
            raise _TooLarge
        if isinstance(item, (dict, list, tuple)):
            if depth >= MAX_DEPTH:
                raise BadArgumentError(f"response nests deeper than {MAX_DEPTH} levels")
            if id(item) in on_path:
                raise BadArgumentError("response must be JSON data: it contains itself (a circular reference)")
            on_path.add(id(item))
            stack.append((item, depth, True))
            # A float key (NaN) is converted to a key by JSON's encoder, so it is checked as a value.
            children = [*item.values(), *(k for k in item if isinstance(k, float))] if isinstance(item, dict) else item
            stack.extend((child, depth + 1, False) for child in children)
        elif isinstance(item, int) and not isinstance(item, bool) and not -MAX_SAFE <= item <= MAX_SAFE:
            raise BadArgumentError(
                f"response integer {item} is beyond a double's exact range (±2**53); send it as a string")
        elif isinstance(item, float) and not math.isfinite(item):
            raise BadArgumentError(f"response contains {item!r}, which JSON cannot carry (NaN and infinities)")
