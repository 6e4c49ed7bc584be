"""Storage timings go to the ``seqflow.storage`` logger at DEBUG level, and nowhere by default."""

from __future__ import annotations

import logging
import re
from typing import TYPE_CHECKING

import pytest

from seqflow_runtime.errors import VersionConflictError

from test_conformance import make_task

if TYPE_CHECKING:
    from conftest import Backend

LINE = re.compile(r"(\w+)\.(\w+) id=(\S+) version=(\S+) (.+) (\d+\.\d\d) ms")


def test_operations_are_timed_at_debug_level(backend: Backend, caplog: pytest.LogCaptureFixture) -> None:
    """save, load, delete, list and sweep each log adapter, operation, id, version, outcome and ms."""
    storage = backend.storage
    adapter = type(storage).__name__
    with caplog.at_level(logging.DEBUG, logger="seqflow.storage"):
        storage.save(make_task("logged"), None)
        with pytest.raises(VersionConflictError):
            storage.save(make_task("logged"), None)
        storage.load("logged")
        storage.load("missing")
        storage.list()
        storage.delete("logged")
        storage.sweep()
    seen = []
    for record in caplog.records:
        assert record.name == "seqflow.storage" and record.levelno == logging.DEBUG
        match = LINE.fullmatch(record.getMessage())
        assert match is not None, record.getMessage()
        seen.append(match.groups()[:5])
        assert float(match.group(6)) >= 0
    assert seen == [
        (adapter, "save", "'logged'", "1", "ok"),
        (adapter, "save", "'logged'", "1", "VersionConflictError"),
        (adapter, "load", "'logged'", "1", "ok"),
        (adapter, "load", "'missing'", "None", "not found"),
        (adapter, "list", "None", "None", "ok"),
        (adapter, "delete", "'logged'", "None", "ok"),
        (adapter, "sweep", "None", "None", "ok"),
    ]


def test_silent_unless_enabled(backend: Backend, caplog: pytest.LogCaptureFixture) -> None:
    """At the default level nothing is logged."""
    with caplog.at_level(logging.INFO):
        backend.storage.save(make_task("quiet"), None)
        backend.storage.load("quiet")
    assert [r for r in caplog.records if r.name == "seqflow.storage"] == []
