"""seqflow's loggers: ``seqflow`` and its children (``seqflow.flow``, ``seqflow.replay``).

Silent by default (a ``NullHandler`` on the package logger, as a library
should be); an application turns them on with ``logging`` as usual.
"""

from __future__ import annotations

import logging

ROOT = "seqflow"
logging.getLogger(ROOT).addHandler(logging.NullHandler())


def get_logger(name: str) -> logging.Logger:
    """The logger ``seqflow.<name>``."""
    return logging.getLogger(f"{ROOT}.{name}")
