"""OpenTelemetry spans around execute, resume, replay and each performed request (the ``otel`` extra).

With ``opentelemetry-api`` installed and a tracer provider set up by the
application, :func:`span` opens a span on the provider's tracer ``seqflow``.
Without the package, or before a provider is set, every span is one shared
object whose methods do nothing, so the hot paths pay a function call and no
more.
"""

from __future__ import annotations

import contextlib
from collections.abc import Iterator, Mapping
from contextlib import AbstractContextManager
from typing import Any

from .version import __version__

try:
    from opentelemetry import trace as _otel
except ImportError:  # the extra is optional
    _otel = None  # type: ignore[assignment]

#: The instrumentation scope the spans are reported under.
TRACER = "seqflow"

Attribute = str | int | float | bool


class Span:
    """What seqflow's code sees of a span: attributes set once the outcome is known."""

    def __init__(self, span: Any = None) -> None:
        self._span = span

    def set(self, key: str, value: Attribute | None) -> None:
        """Set attribute ``key`` (``None`` sets nothing: OpenTelemetry attributes have no null)."""
        if self._span is not None and value is not None:
            self._span.set_attribute(key, value)

    def __enter__(self) -> Span:
        return self

    def __exit__(self, *exc: object) -> None:
        return None


_NO_SPAN = Span()


def span(name: str, attributes: Mapping[str, Attribute | None] | None = None) -> AbstractContextManager[Span]:
    """A span ``name`` around the block, current while it runs; an exception is recorded on it and re-raised.

    ``None`` attribute values are left out.
    """
    if _otel is None:
        return _NO_SPAN
    provider = _otel.get_tracer_provider()
    if isinstance(provider, (_otel.ProxyTracerProvider, _otel.NoOpTracerProvider)):
        return _NO_SPAN  # no provider set up: the API's spans would record nothing, at some µs each
    given = {key: value for key, value in (attributes or {}).items() if value is not None}
    return _live(provider.get_tracer(TRACER, __version__), name, given)


@contextlib.contextmanager
def _live(tracer: Any, name: str, attributes: dict[str, Attribute]) -> Iterator[Span]:
    with tracer.start_as_current_span(name, attributes=attributes) as live:
        yield Span(live)
