"""The seqflow server: an ASGI application (Starlette, served by uvicorn) over a Flow's storage.

It answers flowstate-server's API (``POST /task``, ``POST /call``,
``GET /status``) and the REST API under ``/api/v1``, and runs in-process
:class:`~seqflow_runtime.worker.Worker` s that perform the tasks' requests and
fire their timers. ``pip install 'seqflow-js[server]'``.
"""

from __future__ import annotations

from .app import create_app

__all__ = ["create_app"]
