"""OpenTelemetry spans around execute, resume, replay and each performed request (the ``otel`` extra).

With ``opentelemetry-api`` installed, :func:`span` opens a span on the tracer
``seqflow`` of the global tracer provider (which the application configures;
without one, the API's own spans do nothing). Without the package every span
is one shared object whose methods do nothing, so the hot paths pay a
function call and no more.
"""

from __future__ import annotations

import contextlib
from collections.abc import Iterator, Mapping
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


_NO_SPAN = Span()


@contextlib.contextmanager
def span(name: str, attributes: Mapping[str, Attribute | None] | None = None) -> Iterator[Span]:
    """A span ``name`` around the block, current while it runs; an exception is recorded on it and re-raised.

    ``None`` attribute values are left out.
    """
    if _otel is None:
        yield _NO_SPAN
        return
    tracer = _otel.get_tracer(TRACER, __version__)
    given = {key: value for key, value in (attributes or {}).items() if value is not None}
    with tracer.start_as_current_span(name, attributes=given) as live:
        yield Span(live)
